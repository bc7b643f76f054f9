namespace RollbackFunctions.Domain;

/// <summary>A trigger that arrived in the cooldown after a rollback succeeded: recorded on it, starting nothing.</summary>
public sealed record LateTrigger(string RollbackId, RollbackTrigger Trigger, string Reason);
