using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Configuration;

/// <summary>
/// Checks the "Rollback" section when the app starts; every failure names the setting path, so a bad configuration
/// stops the app with a message an operator can act on.
/// </summary>
public sealed class RollbackOptionsValidator : IValidateOptions<RollbackOptions>
{
    private const string Root = RollbackOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RollbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Budget <= TimeSpan.Zero)
        {
            failures.Add($"{Root}:Budget must be positive, was {Format(options.Budget)}.");
        }
        else if (options.Budget > RollbackOptions.MaxBudget)
        {
            failures.Add($"{Root}:Budget must be at most {Format(RollbackOptions.MaxBudget)} (section 7: R <= 5 minutes), was {Format(options.Budget)}.");
        }

        if (options.ConfirmationWindow <= TimeSpan.Zero)
        {
            failures.Add($"{Root}:ConfirmationWindow must be positive, was {Format(options.ConfirmationWindow)}.");
        }

        if (options.DeploymentPollInterval <= TimeSpan.Zero || options.DeploymentPollInterval > options.Budget)
        {
            failures.Add($"{Root}:DeploymentPollInterval must be positive and within the budget, was {Format(options.DeploymentPollInterval)}.");
        }

        if (options.Cooldown < TimeSpan.Zero || options.Cooldown > TimeSpan.FromDays(1))
        {
            failures.Add($"{Root}:Cooldown must be between 0 and 1 day, was {Format(options.Cooldown)}.");
        }

        if (options.EvidenceSkew < TimeSpan.Zero || options.EvidenceSkew > TimeSpan.FromHours(1))
        {
            failures.Add($"{Root}:EvidenceSkew must be between 0 and 1 hour, was {Format(options.EvidenceSkew)}.");
        }

        ValidateIncident(options.Incident, failures);
        if (options.PublicBaseUrl is { IsAbsoluteUri: false })
        {
            failures.Add($"{Root}:PublicBaseUrl must be an absolute URL.");
        }

        foreach (var (providerName, provider) in options.Providers)
        {
            ValidateProvider(providerName, provider, failures);
        }

        foreach (var (componentName, component) in options.Components)
        {
            ValidateComponent(componentName, component, options, failures);
        }

        foreach (var (resource, component) in options.AlertTargets)
        {
            if (!options.Components.ContainsKey(component))
            {
                failures.Add($"{Root}:AlertTargets:{resource} maps to component '{component}', which is not configured.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateIncident(IncidentWebhookOptions incident, List<string> failures)
    {
        if (incident.Url is not null && !IsHttpUrl(incident.Url))
        {
            failures.Add($"{Root}:Incident:Url must be an absolute http(s) URL, was '{ProbeUrls.Redact(incident.Url.OriginalString)}'.");
        }
        else if (incident.Url is not null
            && CredentialTransport.Check($"{Root}:Incident:Url", incident.Url, incident.HeaderValue is null ? "the incident (a webhook address often is its secret)" : $"the {incident.HeaderName} header") is { } insecure)
        {
            failures.Add(insecure);
        }

        if (incident.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"{Root}:Incident:MaxAttempts must be between 1 and 20, was {incident.MaxAttempts}.");
        }

        if (incident.InitialBackoff < TimeSpan.Zero || incident.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Root}:Incident:InitialBackoff must not be negative and {Root}:Incident:RequestTimeout must be positive.");
        }

        if (string.IsNullOrWhiteSpace(incident.HeaderName) != (incident.HeaderValue is null))
        {
            failures.Add($"{Root}:Incident:HeaderName and {Root}:Incident:HeaderValue go together.");
        }
    }

    private static void ValidateProvider(string providerName, DeploymentProviderOptions provider, List<string> failures)
    {
        var path = $"{Root}:Providers:{providerName}";
        if (!Enum.IsDefined(provider.Type))
        {
            failures.Add($"{path}:Type '{provider.Type}' is not one of {string.Join(", ", Enum.GetNames<DeploymentProviderType>())}.");
        }

        // The entry's own settings (Generic, GitHub, AzureDevOps) are checked by that provider's validator.
    }

    private static void ValidateComponent(string componentName, ComponentOptions component, RollbackOptions options, List<string> failures)
    {
        var path = $"{Root}:Components:{componentName}";
        if (!ComponentNames.IsValidComponent(componentName))
        {
            failures.Add($"{path}: the name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (component.Kind is null)
        {
            failures.Add($"{path}:Kind must be set to one of {string.Join(", ", Enum.GetNames<ComponentKind>())} (section 4).");
        }
        else if (!Enum.IsDefined(component.Kind.Value))
        {
            failures.Add($"{path}:Kind '{component.Kind}' is not one of {string.Join(", ", Enum.GetNames<ComponentKind>())}.");
        }

        ValidateProviderName(path, component.Provider, options, failures);
        ValidateProbes($"{path}:SmokeProbes", component.SmokeProbes, failures);
        ValidateProbes($"{path}:HealthChecks", component.HealthChecks, failures);
        if (component.Drill is { } drill)
        {
            ValidateDrill($"{path}:Drill", drill, options, failures);
        }
    }

    /// <summary>A drill environment: a configured provider, and probes, since a drill that verifies nothing proves nothing.</summary>
    private static void ValidateDrill(string path, DrillEnvironmentOptions drill, RollbackOptions options, List<string> failures)
    {
        ValidateProviderName(path, drill.Provider, options, failures);
        if (drill.SmokeProbes.Count + drill.HealthChecks.Count == 0)
        {
            failures.Add($"{path} needs at least one of SmokeProbes or HealthChecks (the probes of the drill environment).");
        }

        ValidateProbes($"{path}:SmokeProbes", drill.SmokeProbes, failures);
        ValidateProbes($"{path}:HealthChecks", drill.HealthChecks, failures);
    }

    private static void ValidateProviderName(string path, string? provider, RollbackOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            failures.Add($"{path}:Provider must name an entry of {Root}:Providers.");
        }
        else if (!options.Providers.ContainsKey(provider))
        {
            failures.Add($"{path}:Provider '{provider}' is not configured under {Root}:Providers.");
        }
    }

    private static void ValidateProbes(string path, List<ProbeOptions> probes, List<string> failures)
    {
        for (var i = 0; i < probes.Count; i++)
        {
            var probe = probes[i];
            var at = $"{path}:{i.ToString(CultureInfo.InvariantCulture)}";
            if (probe.Url is null || !IsHttpUrl(probe.Url))
            {
                failures.Add($"{at}:Url must be an absolute http(s) URL, was '{ProbeUrls.Redact(probe.Url?.OriginalString)}'.");
            }

            if (probe.ExpectedStatus is < 100 or > 599)
            {
                failures.Add($"{at}:ExpectedStatus must be an HTTP status code, was {probe.ExpectedStatus}.");
            }

            if (probe.Timeout <= TimeSpan.Zero || probe.Interval < TimeSpan.Zero)
            {
                failures.Add($"{at}:Timeout must be positive and Interval not negative.");
            }

            if (probe.ConsecutivePasses < 1 || probe.MaxAttempts < probe.ConsecutivePasses)
            {
                failures.Add($"{at}:ConsecutivePasses must be at least 1 and MaxAttempts at least ConsecutivePasses (was {probe.ConsecutivePasses} and {probe.MaxAttempts}).");
            }
        }
    }

    private static bool IsHttpUrl(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);
}
