namespace RollbackFunctions.Configuration;

/// <summary>The "Rollback" configuration section: the budget, the components and how they deploy.</summary>
public sealed class RollbackOptions
{
    public const string SectionName = "Rollback";

    /// <summary>The strategy's target R; anything above is refused at start (section 7).</summary>
    public static readonly TimeSpan MaxBudget = TimeSpan.FromMinutes(5);

    /// <summary>Time from the trigger's receipt to passed automated verification. At most 5 minutes.</summary>
    public TimeSpan Budget { get; set; } = MaxBudget;

    /// <summary>How long an operator has to confirm restored availability (section 8).</summary>
    public TimeSpan ConfirmationWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the workflow asks the deployment provider for progress (a durable timer, not a sleep).</summary>
    public TimeSpan DeploymentPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a rollback ended Succeeded, how long a new trigger is a late trigger of it (API.md "Trust rules").</summary>
    public TimeSpan Cooldown { get; set; } = Trust.TriggerAdmission.DefaultCooldown;

    /// <summary>How long before its Deployed record a release may already have been live (evidence older is Stale).</summary>
    public TimeSpan EvidenceSkew { get; set; } = Trust.TriggerAdmission.DefaultEvidenceSkew;

    public IncidentWebhookOptions Incident { get; set; } = new();

    /// <summary>The app's public address; makes the incident's <c>statusUri</c> absolute when set.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Components by name (section 4 scope). A trigger for a name not here is refused.</summary>
    public Dictionary<string, ComponentOptions> Components { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Deployment providers by name; a component names the one it deploys through.</summary>
    public Dictionary<string, DeploymentProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Alert target resource ids (ARM ids, case-insensitive) mapped to components, for alerts without a component property.</summary>
    public Dictionary<string, string> AlertTargets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The timing rules a rollback (or drill) starting now runs under.</summary>
    public Domain.RollbackPolicy ToPolicy() => new(Budget, ConfirmationWindow, DeploymentPollInterval, Incident.MaxAttempts, Incident.InitialBackoff);

    public ComponentOptions? FindComponent(string component) =>
        Components.TryGetValue(component, out var options) ? options : null;

    /// <summary>The component an Azure resource belongs to: the explicit map first, then each component's own list.</summary>
    public string? ComponentForResource(string resourceId)
    {
        if (AlertTargets.TryGetValue(resourceId.TrimEnd('/'), out var mapped))
        {
            return mapped;
        }

        foreach (var (name, component) in Components)
        {
            if (component.ResourceIds.Any(id => string.Equals(id.TrimEnd('/'), resourceId.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
            {
                return name;
            }
        }

        return null;
    }
}
