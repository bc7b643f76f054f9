namespace RollbackFunctions.Drills;

/// <summary>How a drill ended: what the <c>DrillEnded</c> notification (and, unless it succeeded, <c>ReadinessLost</c>) tells.</summary>
/// <param name="RecoverySeconds">The drill's R, when its verification passed.</param>
public sealed record DrillEnded(
    string DrillId,
    string Component,
    RollbackPhase Outcome,
    string Reason,
    string? FromVersion,
    string? TargetVersion,
    double? RecoverySeconds,
    double BudgetSeconds,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string StatusUri);
