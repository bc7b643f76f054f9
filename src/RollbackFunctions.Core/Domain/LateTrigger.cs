namespace RollbackFunctions.Domain;

/// <summary>A trigger that arrived in the cooldown after a rollback succeeded: recorded on it, starting nothing.</summary>
public sealed record LateTrigger(string RollbackId, RollbackTrigger Trigger, string Reason);

/// <summary>The one escalation the late triggers of a succeeded rollback raise: which trigger raised it, when, and whether it was delivered.</summary>
public sealed record LateEscalation(string TriggerId, DateTimeOffset At, bool Delivered, string? Error);
