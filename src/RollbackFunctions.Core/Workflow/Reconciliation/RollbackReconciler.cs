namespace RollbackFunctions.Workflow.Reconciliation;

/// <summary>
/// One pass over every claimed component (API.md "Nothing is left hanging"): a claim whose orchestration is missing
/// (past <see cref="ReconcilerOptions.ClaimGrace"/>, so a rollback being scheduled right now is left alone), failed,
/// terminated, completed without settling, or running far past its last possible end is ended
/// <see cref="RollbackPhase.Failed"/> by <see cref="AbandonedRollbackEnding"/>; a stuck one is terminated first. Both
/// hosts run it on a timer. Safe on several instances at once: every write is conditional or idempotent.
/// </summary>
public sealed partial class RollbackReconciler(
    ComponentStateStore components,
    AbandonedRollbackEnding ending,
    IOptionsMonitor<ReconcilerOptions> reconciler,
    IOptionsMonitor<RollbackOptions> options,
    TimeProvider time,
    ILogger<RollbackReconciler> logger)
{
    public async Task<ReconciliationPass> ReconcileAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ended = new List<AbandonedRollback>();
        await foreach (var claim in components.ListClaimedAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await FindAbandonedAsync(client, claim, cancellationToken).ConfigureAwait(false) is { } abandoned)
                {
                    await ending.EndAsync(abandoned, cancellationToken).ConfigureAwait(false);
                    ended.Add(abandoned);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One component's failure must not keep the others waiting; the next pass tries it again.
                LogReconcileFailed(logger, ex, claim.ActiveRollbackId!, claim.Component);
            }
        }

        return new ReconciliationPass(ended);
    }

    private async Task<AbandonedRollback?> FindAbandonedAsync(DurableTaskClient client, ComponentState claim, CancellationToken cancellationToken)
    {
        var rollbackId = claim.ActiveRollbackId!;
        var instance = await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        var request = instance?.ReadInputAs<RollbackRequest>() ?? claim.ActiveRequest;
        var reason = instance?.RuntimeStatus switch
        {
            null when time.GetUtcNow() - (claim.ActiveSince ?? DateTimeOffset.MinValue) >= reconciler.CurrentValue.ClaimGrace => AbandonedReason.OrchestrationMissing,
            OrchestrationRuntimeStatus.Failed => AbandonedReason.OrchestrationFailed,
            OrchestrationRuntimeStatus.Terminated => AbandonedReason.OrchestrationTerminated,
            OrchestrationRuntimeStatus.Completed => AbandonedReason.OrchestrationEndedWithClaim,
            OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended
                when request is not null && time.GetUtcNow() > LastPossibleEnd(request) => AbandonedReason.OrchestrationStuck,
            _ => (AbandonedReason?)null,
        };
        if (reason is null)
        {
            return null;
        }

        // The orchestration may have settled the component between our two reads: act only on a claim still held.
        var now = await components.GetAsync(claim.Component, cancellationToken).ConfigureAwait(false);
        if (now.ActiveRollbackId != rollbackId)
        {
            return null;
        }

        if (reason == AbandonedReason.OrchestrationStuck)
        {
            await client.TerminateInstanceAsync(rollbackId, "Ended Failed by the reconciler: running past its last possible end.", cancellationToken).ConfigureAwait(false);
        }

        return new AbandonedRollback(now, reason.Value, request);
    }

    /// <summary>The deadline, the confirmation window, every incident attempt with its backoff, and the grace as slack.</summary>
    private DateTimeOffset LastPossibleEnd(RollbackRequest request)
    {
        var policy = request.Policy ?? RollbackPolicy.Default;
        var attempts = Math.Max(1, policy.IncidentMaxAttempts);
        var escalation = options.CurrentValue.Incident.RequestTimeout * attempts + policy.IncidentInitialBackoff * (Math.Pow(2, attempts - 1) - 1);
        return request.Deadline + policy.ConfirmationWindow + escalation + reconciler.CurrentValue.ClaimGrace;
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Reconciler could not settle rollback {RollbackId} of {Component}; the next pass retries")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string rollbackId, string component);
}
