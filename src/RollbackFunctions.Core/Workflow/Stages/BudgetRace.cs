using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// Section 7: deployment and verification race the budget timer, for a rollback and for a drill alike. The loser is
/// stopped by cancellation (its timers end, it schedules nothing more) and drained, so nothing it was still doing can
/// land after the end; its verdict is ignored.
/// </summary>
internal static class BudgetRace
{
    /// <returns>The decision that ends the run, or null when the target was deployed and verified.</returns>
    public static async Task<RollbackDecision?> DeployAndVerifyWithinBudgetAsync(TaskOrchestrationContext context, RollbackJournal journal, RollbackPlan plan, DeploymentMode mode, CancellationToken abort = default)
    {
        // An operator's abort stops both sides of the race at once.
        using var stopWork = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var stopBudget = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var budget = DurableTimers.UntilAsync(context, journal.Request.Deadline.UtcDateTime, stopBudget.Token);
        var deployment = new DeploymentStage(context, journal, plan, mode, stopWork.Token);
        var work = DeployThenVerifyAsync(deployment, new VerificationStage(context, journal, plan, stopWork.Token));
        var first = await Task.WhenAny(work, budget).ConfigureAwait(true);
        if (first == work && !(work.IsCompletedSuccessfully && work.Result.OutOfTime))
        {
            stopBudget.Cancel();
            var verdict = await work.ConfigureAwait(true);
            return verdict.Passed ? null : new RollbackDecision(RollbackPhase.Failed, verdict.Reason);
        }

        stopWork.Cancel();
        await Task.WhenAny(work).ConfigureAwait(true);

        // A call cut short by the deadline is the budget's end, not a failure; the timer is due now.
        await budget.ConfigureAwait(true);
        var summary = journal.Summary;
        return new RollbackDecision(RollbackPhase.TimedOut,
            $"The budget of {RollbackJournal.Format(journal.Policy.Budget)} from the trigger's receipt ran out at {journal.Request.Deadline:O} while {summary.Phase}; no further change was requested."
            + (deployment.LastTransientError is { } error ? $" The deployment provider was failing: {error}" : ""),
            CancelDeployment: summary.Phase == RollbackPhase.Deploying && summary.DeploymentId is not null);
    }

    /// <summary>Automated verification passed: R is recorded (trigger receipt to now).</summary>
    public static DateTimeOffset Verified(RollbackJournal journal)
    {
        var verifiedAt = journal.Now;
        var recovery = (verifiedAt - journal.Request.Trigger.ReceivedAt).TotalSeconds;
        journal.Update(s => s with { VerifiedAt = verifiedAt, RecoverySeconds = recovery });
        journal.Note("Verified", StepStatus.Passed, string.Create(CultureInfo.InvariantCulture, $"Smoke probes and health checks passed; R = {recovery:0.###} s"));
        return verifiedAt;
    }

    private static async Task<StageVerdict> DeployThenVerifyAsync(DeploymentStage deployment, VerificationStage verification)
    {
        var deployed = await deployment.RunAsync().ConfigureAwait(true);
        return deployed.Passed ? await verification.RunAsync().ConfigureAwait(true) : deployed;
    }
}
