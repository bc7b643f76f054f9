using RollbackFunctions.Domain;
using RollbackFunctions.Drills;
using RollbackFunctions.Notifications;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>The orchestrators under the names the starters schedule (no source generator is served, so by hand).</summary>
public static class OrchestratorFunctions
{
    [Function(nameof(RollbackOrchestrator))]
    public static Task<RollbackResult> RunRollbackOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunVersioned(new RollbackOrchestrator(), context, "rollback");

    [Function(nameof(DrillOrchestrator))]
    public static Task<RollbackResult> RunDrillOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunVersioned(new DrillOrchestrator(), context, "drill");

    [Function(nameof(NotificationOrchestrator))]
    public static Task<NotificationDeliveryResult> RunNotificationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new NotificationOrchestrator().RunAsync(context, context.GetInput<NotificationDeliveryInput>()!);
    }

    private static Task<TOutput> RunVersioned<TInput, TOutput>(TaskOrchestrator<TInput, TOutput> orchestrator, TaskOrchestrationContext context, string workflow)
    {
        ArgumentNullException.ThrowIfNull(context);

        // host.json's versionMatchStrategy fails newer versions; one this build dropped must fail too (not replay on
        // other logic), so the reconciler ends it with freeze and escalation.
        if (!WorkflowVersion.IsRunnable(context.Version))
        {
            throw new InvalidOperationException($"This build does not run version '{context.Version}' of the {workflow} orchestration (it runs {WorkflowVersion.Current}).");
        }

        return orchestrator.RunAsync(context, context.GetInput<TInput>()!);
    }
}
