namespace RollbackFunctions.Domain;

/// <summary>A rollback (or drill) in brief, as its index row tells it: enough for recovery-time summaries.</summary>
/// <param name="RecoverySeconds">R, when automated verification passed.</param>
public sealed record RollbackBrief(string RollbackId, string Component, RollbackPhase Phase, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double? RecoverySeconds);
