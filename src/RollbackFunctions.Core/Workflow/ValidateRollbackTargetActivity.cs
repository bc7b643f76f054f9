using Microsoft.DurableTask;

namespace RollbackFunctions.Workflow;

/// <summary>Reads configuration, ledger and component state; returns the pinned target and every precondition.</summary>
public sealed class ValidateRollbackTargetActivity(RollbackPlanner planner) : TaskActivity<ValidateRollbackTargetInput, RollbackPlan>
{
    public override Task<RollbackPlan> RunAsync(TaskActivityContext context, ValidateRollbackTargetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return planner.PlanAsync(input.Component, input.TargetVersion, input.RollbackId, CancellationToken.None);
    }
}
