using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Workflow;

/// <summary>
/// What a rollback of a component would do now: the pinned target and every precondition of sections 4, 5 and 9 with
/// pass or fail and why. The workflow acts on it; the rollback-plan route shows it as a dry run.
/// </summary>
/// <param name="Accepted">Every precondition passed; a rollback would deploy <see cref="Target"/>.</param>
/// <param name="RejectionReason">The first failed precondition's reason, for the audit, when not accepted.</param>
public sealed record RollbackPlan(
    string Component,
    bool Accepted,
    string? CurrentVersion,
    RollbackTarget? Target,
    IReadOnlyList<PreconditionCheck> Preconditions,
    string? RejectionReason,
    string? ProviderName,
    IReadOnlyList<ProbeSpec> SmokeProbes,
    IReadOnlyList<ProbeSpec> HealthChecks,
    bool RequireOperatorConfirmation)
{
    /// <summary>The plan as the dry run shows it: the probes' addresses without their query or user info.</summary>
    public RollbackPlan Shown() => this with
    {
        SmokeProbes = [.. SmokeProbes.Select(p => p.Shown())],
        HealthChecks = [.. HealthChecks.Select(p => p.Shown())],
    };
}

/// <summary>The release a rollback deploys, pinned: version, artifact and schema never change after validation.</summary>
public sealed record RollbackTarget(string Version, string Artifact, string? SchemaVersion, ReleaseStatus Status, DateTimeOffset RecordedAt);

/// <param name="Name">A stable name, e.g. <c>TargetVerified</c>.</param>
public sealed record PreconditionCheck(string Name, bool Passed, string Reason);

/// <summary>One smoke probe or health check, copied from configuration into the plan so replays see the same.</summary>
public sealed record ProbeSpec(
    string Name,
    string Url,
    int ExpectedStatus,
    string? BodyContains,
    TimeSpan Timeout,
    int ConsecutivePasses,
    TimeSpan Interval,
    int MaxAttempts)
{
    /// <summary>The probe with <see cref="Url"/> redacted (<see cref="ProbeUrls.Redact"/>): never run it, show it.</summary>
    public ProbeSpec Shown() => this with { Url = ProbeUrls.Redact(Url) };
}
