using RollbackFunctions.Deployment;
using RollbackFunctions.Workflow.Stages;

namespace RollbackFunctions.Workflow;

/// <summary>
/// The rollback of one component (ROLLBACK_STRATEGY.md), in the strategy's order: plan (validate the target), pin it,
/// deploy it through CI/CD and verify it within the budget, wait for the operator's confirmation, end. Every end but
/// <see cref="RollbackPhase.Succeeded"/> escalates and freezes the component, including an end forced by a failure
/// nobody foresaw. It only decides: every read and write is an activity, time comes from the context, and the deadline
/// is fixed by the input (trigger receipt + budget), so replays take the same path.
/// </summary>
public sealed class RollbackOrchestrator : TaskOrchestrator<RollbackRequest, RollbackResult>
{
    public override async Task<RollbackResult> RunAsync(TaskOrchestrationContext context, RollbackRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var journal = new RollbackJournal(context, input);
        RollbackDecision decision;
        try
        {
            decision = await DecideUnlessAbortedAsync(context, journal).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // Nothing is left hanging (API.md): an activity whose retries ran out, or a fault in this code, ends the
            // rollback Failed like any failure, so the component is frozen and the incident raised.
            decision = RollbackDecision.Unexpected(journal, ex);
        }

        return await new RollbackEnd(context, journal).EndAsync(decision).ConfigureAwait(true);
    }

    /// <summary>
    /// An operator's abort races the whole decision, as the budget races deployment and verification: the work is
    /// stopped by cancellation (it schedules nothing more, its timers and waits end) and drained, so a call still in
    /// flight lands before the end (a deployment it started is then known, and cancelled); its verdict is ignored.
    /// </summary>
    private static async Task<RollbackDecision> DecideUnlessAbortedAsync(TaskOrchestrationContext context, RollbackJournal journal)
    {
        using var stopWork = new CancellationTokenSource();
        using var stopWaiting = new CancellationTokenSource();
        var abort = context.WaitForExternalEvent<OperatorAbort>(OperatorAbort.EventName, stopWaiting.Token);
        var work = DecideAsync(context, journal, stopWork.Token);
        if (await Task.WhenAny(work, abort).ConfigureAwait(true) == work)
        {
            stopWaiting.Cancel();
            return await work.ConfigureAwait(true);
        }

        var aborted = await abort.ConfigureAwait(true);
        var abortedWhile = journal.Summary.Phase;
        stopWork.Cancel();
        await Task.WhenAny(work).ConfigureAwait(true);
        journal.Update(s => s with { AbortedAt = aborted.AbortedAt, AbortedBy = aborted.AbortedBy, AbortReason = aborted.Reason });
        journal.Note("AbortRequested", StepStatus.Info, $"{aborted.AbortedBy} aborted the rollback at {aborted.AbortedAt:O} while {abortedWhile}: {aborted.Reason}");

        // After the drain: a deployment whose start was in flight is known now, and one that finished needs no cancel.
        var summary = journal.Summary;
        return new RollbackDecision(RollbackPhase.Aborted,
            $"Aborted by {aborted.AbortedBy} while {abortedWhile}: {aborted.Reason}. No further change was requested.",
            CancelDeployment: summary.Phase == RollbackPhase.Deploying && summary.DeploymentId is not null);
    }

    private static async Task<RollbackDecision> DecideAsync(TaskOrchestrationContext context, RollbackJournal journal, CancellationToken abort)
    {
        var plan = await PlanAsync(context, journal, abort).ConfigureAwait(true);
        if (!plan.Accepted || plan.Target is null || plan.ProviderName is null)
        {
            return new RollbackDecision(RollbackPhase.Rejected, "Refused, nothing deployed: " + (plan.RejectionReason ?? "no target"));
        }

        // Nothing is pinned, deployed or awaited once an abort stopped the work (the stages check too).
        abort.ThrowIfCancellationRequested();
        Pin(journal, plan);
        if (await BudgetRace.DeployAndVerifyWithinBudgetAsync(context, journal, plan, DeploymentMode.Rollback, abort).ConfigureAwait(true) is { } ended)
        {
            return ended;
        }

        var verifiedAt = BudgetRace.Verified(journal);
        if (!plan.RequireOperatorConfirmation)
        {
            journal.Note("OperatorConfirmation", StepStatus.Info, "Not required by this component's configuration.");
            return new RollbackDecision(RollbackPhase.Succeeded, $"{plan.Target.Version} deployed and verified.");
        }

        var confirmation = await new ConfirmationStage(context, journal, abort).WaitAsync(verifiedAt).ConfigureAwait(true);
        if (confirmation is null)
        {
            return new RollbackDecision(RollbackPhase.Unconfirmed,
                $"No operator confirmed restored availability within {RollbackJournal.Format(journal.Policy.ConfirmationWindow)} (section 8).");
        }

        journal.Update(s => s with { ConfirmedAt = confirmation.ConfirmedAt, ConfirmedBy = confirmation.Operator, ConfirmedByObjectId = confirmation.OperatorObjectId, ConfirmationNote = confirmation.Note });
        journal.Note("OperatorConfirmed", StepStatus.Passed, $"{confirmation.Operator} confirmed restored availability" + (confirmation.Note is null ? "" : ": " + confirmation.Note));
        return new RollbackDecision(RollbackPhase.Succeeded, $"{plan.Target.Version} deployed, verified and confirmed by {confirmation.Operator}.");
    }

    /// <summary>Sections 4, 5 and 9: the target and every precondition, recorded pass or fail with why.</summary>
    private static async Task<RollbackPlan> PlanAsync(TaskOrchestrationContext context, RollbackJournal journal, CancellationToken abort)
    {
        var request = journal.Request;
        journal.EnterPhase(RollbackPhase.Received);
        journal.Note("TriggerReceived", StepStatus.Info,
            $"{request.Trigger.Reason} from {request.Trigger.Source} ({request.Trigger.TriggerId}) requested by {request.Trigger.RequestedBy}"
            + (request.Trigger.Details is null ? "" : ": " + request.Trigger.Details));
        var plan = await context.CallAsync<RollbackPlan>(nameof(ValidateRollbackTargetActivity),
            new ValidateRollbackTargetInput(request.RollbackId, request.Component, request.TargetVersion, journal.Hand()), abort).ConfigureAwait(true);
        foreach (var check in plan.Preconditions)
        {
            journal.Note("Precondition:" + check.Name, check.Passed ? StepStatus.Passed : StepStatus.Failed, check.Reason);
        }

        journal.Update(s => s with { FromVersion = plan.CurrentVersion, TargetVersion = plan.Target?.Version, TargetArtifact = plan.Target?.Artifact, Provider = plan.ProviderName });
        return plan;
    }

    /// <summary>Section 10: the target is pinned in the audit before anything is deployed (the start activity writes it first).</summary>
    private static void Pin(RollbackJournal journal, RollbackPlan plan)
    {
        journal.EnterPhase(RollbackPhase.Validated);
        journal.Note("TargetPinned", StepStatus.Passed,
            $"Rolling back {plan.CurrentVersion} -> {plan.Target!.Version} ({plan.Target.Artifact}, schema {plan.Target.SchemaVersion ?? "none"})");
        journal.Note("VersionMarkedRolledBack", StepStatus.Info,
            $"{plan.CurrentVersion} is RolledBack (known bad) in the ledger by this rollback: never a target again, never Verified again.");
    }
}
