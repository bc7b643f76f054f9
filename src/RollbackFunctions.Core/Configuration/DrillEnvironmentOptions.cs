namespace RollbackFunctions.Configuration;

/// <summary>
/// <c>Rollback:Components:{c}:Drill</c>: a non-production copy of the component that a rollback drill deploys to and
/// probes, through a provider of <see cref="RollbackOptions.Providers"/> with settings of its own.
/// </summary>
public sealed class DrillEnvironmentOptions
{
    /// <summary>The name of an entry of <see cref="RollbackOptions.Providers"/>; never the one production deploys through unless that provider targets the copy.</summary>
    public string Provider { get; set; } = "";

    public List<ProbeOptions> SmokeProbes { get; set; } = [];

    public List<ProbeOptions> HealthChecks { get; set; } = [];
}
