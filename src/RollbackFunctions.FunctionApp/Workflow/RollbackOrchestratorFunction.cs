using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using RollbackFunctions.Domain;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>The orchestrator under the name the starter schedules (no source generator is served, so by hand).</summary>
public static class RollbackOrchestratorFunction
{
    [Function(nameof(RollbackOrchestrator))]
    public static Task<RollbackResult> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RollbackOrchestrator().RunAsync(context, context.GetInput<RollbackRequest>()!);
    }
}
