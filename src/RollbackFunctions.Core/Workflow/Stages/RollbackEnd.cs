namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// The end of a rollback, whatever decided it. A deployment still in flight is asked to stop; then a success makes
/// the target current, and every other end freezes the component and escalates the incident (retried on durable
/// timers, section 11); last, the audit records the end. The first activity of the end is handed the whole audit, so
/// rows an earlier failed activity could not write land too; every row has a deterministic key.
/// </summary>
internal sealed partial class RollbackEnd(TaskOrchestrationContext context, RollbackJournal journal)
{
    /// <summary>The cancel runs after the budget: it gets a short one of its own.</summary>
    private static readonly TimeSpan CancelBudget = TimeSpan.FromSeconds(30);

    private RollbackRequest Request => journal.Request;

    public async Task<RollbackResult> EndAsync(RollbackDecision decision)
    {
        var decidedAt = journal.Now;
        var everything = journal.HandAll();
        if (decision.CancelDeployment && journal.Summary.DeploymentId is { } deploymentId)
        {
            await CancelDeploymentAsync(deploymentId, decision.Outcome, everything).ConfigureAwait(true);
            everything = null;
        }

        await SettleAsync(decision, decidedAt, everything ?? journal.Hand()).ConfigureAwait(true);

        // The audit says the rollback ended only once the component is settled and the escalation done or given up.
        journal.Update(s => s with { OutcomeReason = decision.Reason });
        journal.EnterPhase(decision.Outcome);
        if (decision.Outcome == RollbackPhase.Succeeded)
        {
            journal.Note("Succeeded", StepStatus.Passed, decision.Reason);
        }
        else
        {
            var escalation = await EscalateAsync(new IncidentReport(Request.RollbackId, Request.Component, decision.Outcome, decision.Reason,
                journal.Summary.FromVersion, journal.Summary.TargetVersion, journal.Summary.StartedAt, decidedAt)).ConfigureAwait(true);
            journal.Update(s => s with { Escalation = escalation });
            journal.Note(decision.Outcome.ToString(), StepStatus.Failed, decision.Reason);
            journal.Note("ComponentFrozen", StepStatus.Info, $"{Request.Component} is frozen until an operator unfreezes it with an incident reference and analysis (section 11).");
            journal.Note("Escalation", escalation.Delivered ? StepStatus.Passed : StepStatus.Failed, escalation.Delivered
                ? $"Incident delivered after {escalation.Attempts} attempt(s)."
                : $"Incident NOT delivered after {escalation.Attempts} attempt(s): {escalation.Error}. The component stays frozen.");
        }

        journal.Update(s => s with { EndedAt = journal.Now });
        var ended = Notifications.LifecycleNotifications.Ended(journal.Summary, decision.Outcome, decision.Reason, journal.Now);
        await (journal.Summary.Escalation is { } escalated
            ? journal.RecordAsync(journal.Hand(withSummary: true)!, CancellationToken.None, ended, Notifications.LifecycleNotifications.Escalated(journal.Summary, decision.Outcome, escalated, journal.Now))
            : journal.RecordAsync(journal.Hand(withSummary: true)!, CancellationToken.None, ended)).ConfigureAwait(true);
        LogEnded(context.CreateReplaySafeLogger<RollbackOrchestrator>(), Request.RollbackId, Request.Component, decision.Outcome, decision.Reason);
        return new RollbackResult(Request.RollbackId, Request.Component, decision.Outcome, journal.Summary.TargetVersion, decision.Reason, journal.Summary.RecoverySeconds);
    }

    private Task<SettleComponentResult> SettleAsync(RollbackDecision decision, DateTimeOffset decidedAt, RecordAuditInput? audit)
    {
        // Budget left when automated verification passed, or when the outcome was decided without it.
        var budgetRemaining = Math.Round((Request.Deadline - (journal.Summary.VerifiedAt ?? decidedAt)).TotalSeconds, 3);
        var succeeded = decision.Outcome == RollbackPhase.Succeeded;
        var reason = succeeded ? decision.Reason : $"Rollback {Request.RollbackId} ended {decision.Outcome}: {decision.Reason}";

        // Verified means the deployment completed and the probes passed: the target runs whether or not it was confirmed.
        var running = !succeeded && journal.Summary.VerifiedAt is not null ? journal.Summary.TargetVersion : null;
        return context.CallActivityAsync<SettleComponentResult>(nameof(SettleComponentActivity), new SettleComponentInput(
            Request.RollbackId, Request.Component, decision.Outcome, journal.Summary.TargetVersion, reason,
            journal.Summary.RecoverySeconds, budgetRemaining, audit, running), StageCalls.TransientRetry);
    }

    /// <summary>Best effort, recorded either way; the same step serves an operator's abort and a drill that ran out of time.</summary>
    public async Task CancelDeploymentAsync(string deploymentId, RollbackPhase outcome, RecordAuditInput? audit)
    {
        var cancelled = await context.CallActivityAsync<CancelDeploymentResult>(nameof(CancelDeploymentActivity), new CancelDeploymentInput(
            Request.RollbackId, journal.Summary.Provider!, Request.Component, deploymentId, $"Rollback {Request.RollbackId} ended {outcome}",
            journal.Now + CancelBudget, audit), StageCalls.TransientRetry).ConfigureAwait(true);
        var (status, said) = cancelled.Outcome switch
        {
            Deployment.DeploymentCancelOutcome.Cancelled => (StepStatus.Passed, "cancelled"),
            Deployment.DeploymentCancelOutcome.AlreadyEnded => (StepStatus.Info, "already ended"),
            Deployment.DeploymentCancelOutcome.NotSupported => (StepStatus.Info, "cancel not supported by the provider"),
            _ => (StepStatus.Failed, "cancel failed"),
        };
        journal.Note("DeploymentCancel", status, $"Deployment {deploymentId}: {said}: {cancelled.Detail}");
    }

    private async Task<EscalationRecord> EscalateAsync(IncidentReport incident)
    {
        var policy = journal.Policy;
        var attempts = 0;
        string? error = null;
        var backoff = policy.IncidentInitialBackoff;
        while (attempts < Math.Max(1, policy.IncidentMaxAttempts))
        {
            attempts++;
            IncidentDeliveryResult delivery;
            try
            {
                delivery = await context.CallActivityAsync<IncidentDeliveryResult>(nameof(EscalateIncidentActivity), new EscalateIncidentInput(incident, journal.Hand())).ConfigureAwait(true);
            }
            catch (TaskFailedException ex)
            {
                journal.Rewind();
                delivery = new IncidentDeliveryResult(false, false, null, ex.FailureDetails.ErrorMessage);
            }

            if (delivery.Delivered)
            {
                return new EscalationRecord(journal.Now, true, attempts, null);
            }

            error = delivery.Error;
            if (delivery.NotConfigured)
            {
                break;
            }

            if (attempts < policy.IncidentMaxAttempts)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + backoff, CancellationToken.None).ConfigureAwait(true);
                backoff += backoff;
            }
        }

        return new EscalationRecord(journal.Now, false, attempts, error);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Rollback {RollbackId} of {Component} ended {Outcome}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string rollbackId, string component, RollbackPhase outcome, string reason);
}
