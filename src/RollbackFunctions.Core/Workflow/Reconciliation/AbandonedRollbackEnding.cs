using Azure;
using Azure.Data.Tables;
using RollbackFunctions.Incidents;

namespace RollbackFunctions.Workflow.Reconciliation;

/// <summary>
/// Ends a rollback its orchestration abandoned as <see cref="RollbackPhase.Failed"/> (API.md "Nothing is left
/// hanging"): the audit summary and a step naming what was found, the incident escalated (retried, the delivery
/// recorded), then the component frozen, which also ends the claim. Every step is idempotent, so a pass that crashed
/// half way is completed by the next: the claim stays until the freeze, last. The escalation is sent at most once per
/// rollback: its intent is an insert-if-absent row written before the first delivery attempt.
/// </summary>
public sealed partial class AbandonedRollbackEnding(
    RollbackAuditStore audit,
    RollbackTables tables,
    ComponentStateStore components,
    IncidentNotifier incidents,
    IOptionsMonitor<RollbackOptions> options,
    TimeProvider time,
    ILogger<AbandonedRollbackEnding> logger)
{
    public const string EndedStep = "EndedByReconciler";
    public const string EscalationStep = "Escalation";
    private const string EscalationIntentRow = "reconciler-escalation";

    public async Task EndAsync(AbandonedRollback abandoned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(abandoned);
        var (summary, nextSequence) = await RecordFailedAsync(abandoned.Claim, abandoned.Request, abandoned.Explanation, cancellationToken).ConfigureAwait(false);
        if (await ClaimEscalationAsync(abandoned.RollbackId, cancellationToken).ConfigureAwait(false))
        {
            var escalation = await EscalateAsync(summary, abandoned, cancellationToken).ConfigureAwait(false);
            await audit.RecordAsync(summary with { Escalation = escalation }, [EscalationRecorded(abandoned.RollbackId, nextSequence, escalation)], writeIndex: false, cancellationToken).ConfigureAwait(false);
        }

        // Only while the claim is still this rollback's: an operator may have unfrozen what a faster pass froze.
        if ((await components.GetAsync(abandoned.Claim.Component, cancellationToken).ConfigureAwait(false)).ActiveRollbackId == abandoned.RollbackId)
        {
            await components.FreezeAsync(abandoned.Claim.Component, abandoned.RollbackId, abandoned.Explanation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        LogEnded(logger, abandoned.RollbackId, abandoned.Claim.Component, abandoned.Reason);
    }

    /// <summary>
    /// The starter took over a claim whose orchestration never came to be: nothing ran, so nothing freezes and the new
    /// rollback carries the incident; the abandoned rollback's audit says so, and its trigger's repeats find it.
    /// </summary>
    public Task RecordSupersededAsync(ComponentState abandonedClaim, string supersededBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(abandonedClaim);
        return RecordFailedAsync(abandonedClaim, abandonedClaim.ActiveRequest,
            $"Rollback {abandonedClaim.ActiveRollbackId} was claimed at {abandonedClaim.ActiveSince:O} but never scheduled; rollback {supersededBy} took over the component.", cancellationToken);
    }

    /// <summary>Writes the ended summary and the step once; returns the summary and the next free step number.</summary>
    private async Task<(RollbackRecord Summary, int NextSequence)> RecordFailedAsync(
        ComponentState claim, RollbackRequest? request, string reason, CancellationToken cancellationToken)
    {
        var rollbackId = claim.ActiveRollbackId!;
        var (existing, steps, _) = await audit.GetTimelineAsync(rollbackId, cancellationToken).ConfigureAwait(false);
        if (existing is { Phase: RollbackPhase.Failed, EndedAt: not null } && steps.FirstOrDefault(s => s.Name == EndedStep) is { } ended)
        {
            return (existing, ended.Sequence + 1);
        }

        var now = time.GetUtcNow();
        var summary = (existing ?? NewSummary(claim, request, now)) with { Phase = RollbackPhase.Failed, EndedAt = now, OutcomeReason = reason };
        var sequence = steps.Count == 0 ? 1 : steps.Max(s => s.Sequence) + 1;
        await audit.RecordAsync(summary, [new RollbackStep(rollbackId, sequence, EndedStep, RollbackPhase.Failed, StepStatus.Failed, now, reason)],
            writeIndex: existing is null, cancellationToken).ConfigureAwait(false);
        return (summary, sequence + 1);
    }

    private RollbackRecord NewSummary(ComponentState claim, RollbackRequest? request, DateTimeOffset now)
    {
        var since = claim.ActiveSince ?? now;
        var trigger = request?.Trigger ?? new RollbackTrigger(TriggerReason.HealthDegraded, TriggerSource.Pipeline, "unknown", since, "unknown", "The claim recorded no trigger.");
        var budget = (request?.Policy ?? RollbackPolicy.Default).Budget;
        return new RollbackRecord(claim.ActiveRollbackId!, claim.Component, trigger, request?.TargetVersion, claim.CurrentVersion, null, null,
            RollbackPhase.Failed, since, request?.Deadline ?? since + budget, budget.TotalSeconds, options.CurrentValue.FindComponent(claim.Component)?.Provider);
    }

    /// <summary>True for the one pass that may deliver this rollback's escalation.</summary>
    private async Task<bool> ClaimEscalationAsync(string rollbackId, CancellationToken cancellationToken)
    {
        var table = await tables.RollbacksAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(rollbackId, EscalationIntentRow) { ["At"] = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private async Task<EscalationRecord> EscalateAsync(RollbackRecord summary, AbandonedRollback abandoned, CancellationToken cancellationToken)
    {
        var policy = abandoned.Request?.Policy ?? RollbackPolicy.Default;
        var incident = new IncidentReport(summary.RollbackId, summary.Component, RollbackPhase.Failed, abandoned.Explanation,
            summary.FromVersion, summary.TargetVersion, summary.StartedAt, summary.EndedAt ?? time.GetUtcNow());
        var backoff = policy.IncidentInitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var delivery = await incidents.DeliverAsync(incident, cancellationToken).ConfigureAwait(false);
            if (delivery.Delivered || delivery.NotConfigured || attempt >= policy.IncidentMaxAttempts)
            {
                return new EscalationRecord(time.GetUtcNow(), delivery.Delivered, attempt, delivery.Error);
            }

            await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            backoff *= 2;
        }
    }

    private static RollbackStep EscalationRecorded(string rollbackId, int sequence, EscalationRecord escalation) =>
        new(rollbackId, sequence, EscalationStep, RollbackPhase.Failed, escalation.Delivered ? StepStatus.Passed : StepStatus.Failed, escalation.At, escalation.Delivered
            ? $"Incident delivered after {escalation.Attempts} attempt(s)."
            : $"Incident NOT delivered after {escalation.Attempts} attempt(s): {escalation.Error}. The component stays frozen.");

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Reconciler ended rollback {RollbackId} of {Component} Failed: {Reason}")]
    private static partial void LogEnded(ILogger logger, string rollbackId, string component, AbandonedReason reason);
}
