using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;

namespace RollbackFunctions.Deployment;

/// <summary>
/// Refuses to start with a provider entry that could never deploy: each entry of the type is checked by
/// <see cref="ValidateEntry"/>, and every message names the setting to fix (e.g. <c>Rollback:Providers:web:GitHub:Owner</c>)
/// and never shows a secret's value.
/// </summary>
public abstract class DeploymentProviderEntriesValidator<TSettings> : IValidateOptions<DeploymentProviderEntries<TSettings>>
    where TSettings : class, IDeploymentProviderSettings, new()
{
    public ValidateOptionsResult Validate(string? name, DeploymentProviderEntries<TSettings> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (providerName, settings) in options.Entries)
        {
            ValidateEntry($"{RollbackOptions.SectionName}:Providers:{providerName}:{TSettings.SectionName}", settings, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <param name="path">The entry's settings path, e.g. <c>Rollback:Providers:web:GitHub</c>.</param>
    protected abstract void ValidateEntry(string path, TSettings settings, List<string> failures);
}
