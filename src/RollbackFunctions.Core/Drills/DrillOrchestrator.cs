using RollbackFunctions.Deployment;
using RollbackFunctions.Workflow;
using RollbackFunctions.Workflow.Stages;

namespace RollbackFunctions.Drills;

/// <summary>
/// A rollback drill (section 1: rollback is a planned operation): the rollback's own stages, plan against the ledger,
/// pin, deploy (<c>mode: "drill"</c>) and verify within the same budget, against the component's drill environment.
/// Its audit and R go to the drills' tables. It never claims the component, never marks a version RolledBack, never
/// freezes, never escalates: the component's state, gate and ledger are as they were. Deterministic like the rollback.
/// </summary>
public sealed partial class DrillOrchestrator : TaskOrchestrator<RollbackRequest, RollbackResult>
{
    public override async Task<RollbackResult> RunAsync(TaskOrchestrationContext context, RollbackRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var journal = new RollbackJournal(context, input, AuditTrail.Drills);
        RollbackDecision decision;
        try
        {
            decision = await DrillAsync(context, journal).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            decision = RollbackDecision.Unexpected(journal, ex);
        }

        return await EndAsync(context, journal, decision).ConfigureAwait(true);
    }

    private static async Task<RollbackDecision> DrillAsync(TaskOrchestrationContext context, RollbackJournal journal)
    {
        var request = journal.Request;
        journal.EnterPhase(RollbackPhase.Received);
        journal.Note("DrillRequested", StepStatus.Info,
            $"Rollback drill of {request.Component} requested by {request.Trigger.RequestedBy}: the rollback's stages against its drill environment; the component's state, gate and ledger are not changed.");
        var plan = await context.CallAsync<RollbackPlan>(nameof(PlanDrillActivity),
            new ValidateRollbackTargetInput(request.RollbackId, request.Component, null, journal.Hand()), CancellationToken.None).ConfigureAwait(true);
        foreach (var check in plan.Preconditions)
        {
            journal.Note("Precondition:" + check.Name, check.Passed ? StepStatus.Passed : StepStatus.Failed, check.Reason);
        }

        journal.Update(s => s with { FromVersion = plan.CurrentVersion, TargetVersion = plan.Target?.Version, TargetArtifact = plan.Target?.Artifact, Provider = plan.ProviderName });
        if (!plan.Accepted || plan.Target is null || plan.ProviderName is null)
        {
            return new RollbackDecision(RollbackPhase.Rejected, "A rollback now would be refused: " + (plan.RejectionReason ?? "no target"));
        }

        journal.EnterPhase(RollbackPhase.Validated);
        journal.Note("TargetPinned", StepStatus.Passed,
            $"Drilling {plan.CurrentVersion} -> {plan.Target.Version} ({plan.Target.Artifact}, schema {plan.Target.SchemaVersion ?? "none"}) in the drill environment; the ledger is not changed.");
        if (await BudgetRace.DeployAndVerifyWithinBudgetAsync(context, journal, plan, DeploymentMode.Drill).ConfigureAwait(true) is { } ended)
        {
            return ended;
        }

        BudgetRace.Verified(journal);
        return new RollbackDecision(RollbackPhase.Succeeded, $"{plan.Target.Version} deployed to the drill environment and verified within the budget.");
    }

    /// <summary>The end: a deployment still in flight is asked to stop, the audit records the end, and the end is announced.</summary>
    private static async Task<RollbackResult> EndAsync(TaskOrchestrationContext context, RollbackJournal journal, RollbackDecision decision)
    {
        var request = journal.Request;
        if (decision.CancelDeployment && journal.Summary.DeploymentId is { } deploymentId)
        {
            await new RollbackEnd(context, journal).CancelDeploymentAsync(deploymentId, decision.Outcome, journal.HandAll()).ConfigureAwait(true);
        }

        journal.Update(s => s with { OutcomeReason = decision.Reason });
        journal.EnterPhase(decision.Outcome);
        journal.Note(decision.Outcome.ToString(), decision.Outcome == RollbackPhase.Succeeded ? StepStatus.Passed : StepStatus.Failed, decision.Reason);
        journal.Update(s => s with { EndedAt = journal.Now });

        // The whole journal: rows an earlier failed activity could not write land now (deterministic keys).
        await context.CallActivityAsync<bool>(nameof(RecordAuditActivity), journal.HandAll(), StageCalls.TransientRetry).ConfigureAwait(true);

        var summary = journal.Summary;
        try
        {
            await context.CallActivityAsync<bool>(nameof(AnnounceDrillEndActivity), new DrillEnded(
                request.RollbackId, request.Component, decision.Outcome, decision.Reason, summary.FromVersion, summary.TargetVersion,
                summary.RecoverySeconds, summary.BudgetSeconds, summary.StartedAt, summary.EndedAt!.Value, DrillIds.StatusUri(request.RollbackId)), StageCalls.TransientRetry).ConfigureAwait(true);
        }
        catch (TaskFailedException)
        {
            // The drill is recorded; an announcement that could not be made changes nothing of it.
        }

        LogEnded(context.CreateReplaySafeLogger<DrillOrchestrator>(), request.RollbackId, request.Component, decision.Outcome, decision.Reason);
        return new RollbackResult(request.RollbackId, request.Component, decision.Outcome, summary.TargetVersion, decision.Reason, summary.RecoverySeconds);
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Drill {DrillId} of {Component} ended {Outcome}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string drillId, string component, RollbackPhase outcome, string reason);
}
