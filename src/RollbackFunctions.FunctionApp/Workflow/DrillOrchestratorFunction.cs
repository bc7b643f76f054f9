using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using RollbackFunctions.Domain;
using RollbackFunctions.Drills;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>The drill orchestrator under the name the drill starter schedules.</summary>
public static class DrillOrchestratorFunction
{
    [Function(nameof(DrillOrchestrator))]
    public static Task<RollbackResult> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // As the rollback's: a version this build does not hold fails rather than replaying on other logic.
        if (!WorkflowVersion.IsRunnable(context.Version))
        {
            throw new InvalidOperationException($"This build does not run version '{context.Version}' of the drill orchestration (it runs {WorkflowVersion.Current}).");
        }

        return new DrillOrchestrator().RunAsync(context, context.GetInput<RollbackRequest>()!);
    }
}
