namespace RollbackFunctions.Trust;

/// <summary>A trigger that admission refused (Stale or Cooldown), as recorded on its component.</summary>
/// <param name="RollbackId">For Cooldown: the rollback it was recorded on as a late trigger.</param>
/// <param name="At">When it was refused (the first time: a redelivery keeps the first record).</param>
public sealed record RefusedTrigger(
    string Component,
    AdmissionOutcome Outcome,
    TriggerSource Source,
    string TriggerId,
    DateTimeOffset? ObservedAt,
    string Reason,
    string? RollbackId,
    DateTimeOffset At);
