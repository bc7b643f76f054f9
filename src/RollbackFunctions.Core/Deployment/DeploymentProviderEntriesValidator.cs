namespace RollbackFunctions.Deployment;

/// <summary>
/// Refuses to start with a provider entry that could never deploy: every entry of the type checks its own settings
/// (<see cref="IDeploymentProviderSettings.Validate"/>), and every message names the setting to fix (e.g.
/// <c>Rollback:Providers:web:GitHub:Owner</c>) and never shows a secret's value.
/// </summary>
public sealed class DeploymentProviderEntriesValidator<TSettings> : IValidateOptions<DeploymentProviderEntries<TSettings>>
    where TSettings : class, IDeploymentProviderSettings, new()
{
    public ValidateOptionsResult Validate(string? name, DeploymentProviderEntries<TSettings> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (providerName, settings) in options.Entries)
        {
            settings.Validate($"{RollbackOptions.SectionName}:Providers:{providerName}:{TSettings.SectionName}", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
