namespace RollbackFunctions.Domain;

/// <summary>The orchestration input: everything the workflow needs, fixed before the first replay.</summary>
/// <param name="RollbackId">Also the orchestration instance id and the deployment idempotency key.</param>
/// <param name="TargetVersion">The explicitly requested target; when null the newest verified release older than the current one.</param>
public sealed record RollbackRequest(
    string RollbackId,
    string Component,
    string? TargetVersion,
    RollbackTrigger Trigger);
