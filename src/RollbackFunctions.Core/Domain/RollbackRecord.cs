namespace RollbackFunctions.Domain;

/// <summary>
/// The audit summary of one rollback (section 10): why, to which version, when, and how it ended.
/// The workflow computes it deterministically and the audit activity replaces the row, so replays write the same.
/// </summary>
/// <param name="RecoverySeconds">R: from the trigger's receipt to passed automated verification.</param>
/// <param name="AbortedBy">Who stopped it (<see cref="RollbackPhase.Aborted"/>), as the abort route identified the caller.</param>
/// <param name="ConfirmedBy">The authenticated caller who confirmed (a key's name, or the token's name).</param>
/// <param name="ConfirmedByObjectId">Its Entra ID object id; null for a key.</param>
public sealed record RollbackRecord(
    string RollbackId,
    string Component,
    RollbackTrigger Trigger,
    string? RequestedTargetVersion,
    string? FromVersion,
    string? TargetVersion,
    string? TargetArtifact,
    RollbackPhase Phase,
    DateTimeOffset StartedAt,
    DateTimeOffset Deadline,
    double BudgetSeconds,
    string? Provider = null,
    string? DeploymentId = null,
    DateTimeOffset? VerifiedAt = null,
    double? RecoverySeconds = null,
    DateTimeOffset? ConfirmedAt = null,
    string? ConfirmedBy = null,
    string? ConfirmationNote = null,
    DateTimeOffset? EndedAt = null,
    string? OutcomeReason = null,
    EscalationRecord? Escalation = null,
    DateTimeOffset? AbortedAt = null,
    string? AbortedBy = null,
    string? AbortReason = null,
    string? ConfirmedByObjectId = null);

/// <summary>One step of a rollback's timeline.</summary>
/// <param name="Sequence">Assigned by the orchestrator in order, so a replay rewrites the same row.</param>
public sealed record RollbackStep(
    string RollbackId,
    int Sequence,
    string Name,
    RollbackPhase Phase,
    StepStatus Status,
    DateTimeOffset At,
    string? Detail);

public enum StepStatus
{
    Started,
    Passed,
    Failed,
    Info,
}

/// <summary>A trigger that arrived while the rollback was active and joined it instead of starting another.</summary>
public sealed record JoinedTrigger(string RollbackId, RollbackTrigger Trigger);

/// <summary>The incident escalation of a rollback that did not succeed.</summary>
public sealed record EscalationRecord(DateTimeOffset At, bool Delivered, int Attempts, string? Error);
