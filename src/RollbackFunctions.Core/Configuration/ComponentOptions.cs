namespace RollbackFunctions.Configuration;

public sealed class ComponentOptions
{
    public ComponentKind? Kind { get; set; }

    /// <summary>The name of an entry of <see cref="RollbackOptions.Providers"/>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>Run first after deployment: does the restored version serve its basic paths?</summary>
    public List<ProbeOptions> SmokeProbes { get; set; } = [];

    /// <summary>Run after the smoke probes: is the component healthy again?</summary>
    public List<ProbeOptions> HealthChecks { get; set; } = [];

    /// <summary>Section 8 asks operators to confirm restored availability; only a component without people on call turns this off.</summary>
    public bool RequireOperatorConfirmation { get; set; } = true;

    /// <summary>Azure resource ids that belong to this component (alert targets, Health Resources events).</summary>
    public List<string> ResourceIds { get; set; } = [];

    /// <summary>The drill environment; without one the component cannot be drilled.</summary>
    public DrillEnvironmentOptions? Drill { get; set; }
}
