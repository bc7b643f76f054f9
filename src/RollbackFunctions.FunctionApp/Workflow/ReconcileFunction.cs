using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>
/// Runs the reconciler every 30 seconds (the schedule is fixed at build time in a timer attribute; the dev host reads
/// <see cref="ReconcilerOptions.Interval"/>). The timer runs on one instance at a time; the reconciler is safe on several anyway.
/// </summary>
public sealed class ReconcileFunction(RollbackReconciler reconciler)
{
    [Function("ReconcileRollbacks")]
    public Task RunAsync([TimerTrigger("*/30 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        reconciler.ReconcileAsync(client, cancellationToken);
}
