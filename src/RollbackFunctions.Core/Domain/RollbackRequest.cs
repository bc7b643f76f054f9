namespace RollbackFunctions.Domain;

/// <summary>The orchestration input: everything the workflow needs, fixed before the first replay.</summary>
/// <param name="RollbackId">Also the orchestration instance id and the deployment idempotency key.</param>
/// <param name="TargetVersion">The explicitly requested target; when null the newest verified release older than the current one.</param>
/// <param name="Policy">Budget, confirmation window and poll interval as configured when the rollback started; defaults when null.</param>
public sealed record RollbackRequest(
    string RollbackId,
    string Component,
    string? TargetVersion,
    RollbackTrigger Trigger,
    RollbackPolicy? Policy = null)
{
    /// <summary>The moment the budget runs out: the trigger's receipt plus the budget, never the orchestration's start.</summary>
    public DateTimeOffset Deadline => Trigger.ReceivedAt + (Policy ?? RollbackPolicy.Default).Budget;
}
