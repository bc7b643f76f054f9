namespace RollbackFunctions.Workflow;

/// <summary>Reads configuration, ledger and component state; returns the pinned target and every precondition.</summary>
/// <remarks>Only reads, so the audit it was handed is written beside the reads.</remarks>
public sealed class ValidateRollbackTargetActivity(RollbackPlanner planner, RollbackAuditStore audit) : TaskActivity<ValidateRollbackTargetInput, RollbackPlan>
{
    public override Task<RollbackPlan> RunAsync(TaskActivityContext context, ValidateRollbackTargetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return audit.RecordWithAsync(input.Audit, changesNothing: true, () => planner.PlanAsync(input.Component, input.TargetVersion, input.RollbackId, CancellationToken.None));
    }
}
