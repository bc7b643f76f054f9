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

        // host.json's versionMatchStrategy fails newer versions; one this build dropped must fail too (not replay on
        // other logic), so the reconciler ends it with freeze and escalation.
        if (!WorkflowVersion.IsRunnable(context.Version))
        {
            throw new InvalidOperationException($"This build does not run version '{context.Version}' of the rollback orchestration (it runs {WorkflowVersion.Current}).");
        }

        return new RollbackOrchestrator().RunAsync(context, context.GetInput<RollbackRequest>()!);
    }
}
