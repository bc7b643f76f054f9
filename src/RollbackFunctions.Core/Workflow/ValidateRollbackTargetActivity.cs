namespace RollbackFunctions.Workflow;

/// <summary>Reads configuration, ledger and component state; returns the pinned target and every precondition.</summary>
/// <remarks>Only reads, so the audit it was handed is written beside the reads.</remarks>
public sealed class ValidateRollbackTargetActivity(RollbackPlanner planner, RollbackAuditStore audit)
    : JournaledActivity<ValidateRollbackTargetInput, RollbackPlan>(audit, readsOnly: true)
{
    protected override Task<RollbackPlan> WorkAsync(ValidateRollbackTargetInput input) =>
        planner.PlanAsync(input.Component, input.TargetVersion, input.RollbackId, CancellationToken.None);
}
