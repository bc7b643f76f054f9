using RollbackFunctions.Gate;

namespace RollbackFunctions.Readiness;

/// <summary>
/// Whether a rollback of one component triggered now would be accepted (the planner's verdict, the same one the
/// dry-run plan and the workflow give), and how its rollbacks and drills have gone.
/// </summary>
/// <param name="Target">The release a rollback would deploy, when ready.</param>
/// <param name="FailingPrecondition">The first precondition that fails, when not ready.</param>
/// <param name="HasDrillEnvironment">Whether <c>Rollback:Components:{c}:Drill</c> is configured (drills can run).</param>
public sealed record ComponentReadiness(
    string Component,
    bool Ready,
    string? CurrentVersion,
    ReadinessTarget? Target,
    FailingPrecondition? FailingPrecondition,
    GateState Gate,
    LastRun? LastRollback,
    RecoverySummary Recovery,
    LastRun? LastDrill,
    bool HasDrillEnvironment)
{
    /// <summary>Why it is not ready, in one line; null when ready.</summary>
    public string? Reason => FailingPrecondition is { } failing ? $"{failing.Name}: {failing.Reason}" : null;
}

public sealed record ReadinessTarget(string Version, string Artifact, string? SchemaVersion);

public sealed record FailingPrecondition(string Name, string Reason);

/// <summary>The newest rollback or drill: its id, when it started and ended, how it ended and its R.</summary>
public sealed record LastRun(string Id, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, RollbackPhase Outcome, double? RecoverySeconds)
{
    public static LastRun? From(RollbackBrief? brief) =>
        brief is null ? null : new LastRun(brief.RollbackId, brief.StartedAt, brief.EndedAt, brief.Phase, brief.RecoverySeconds);
}

/// <summary>The answer of <c>GET /api/readiness</c>: every configured component, by name.</summary>
public sealed record ReadinessReport(DateTimeOffset CheckedAt, double BudgetSeconds, int ReadyCount, IReadOnlyList<ComponentReadiness> Components);
