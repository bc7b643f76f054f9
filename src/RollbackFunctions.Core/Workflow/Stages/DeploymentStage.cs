using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// Section 6: deploys the pinned target through the component's CI/CD system and waits until every unit succeeded.
/// The start is tried again after a transient failure (idempotent by the rollback id), progress reads too; a refusal
/// fails at once; a call cut short by the deadline is the budget's end.
/// </summary>
/// <param name="mode">A drill deploys to its drill environment and marks nothing in the ledger.</param>
internal sealed class DeploymentStage(TaskOrchestrationContext context, RollbackJournal journal, RollbackPlan plan, DeploymentMode mode, CancellationToken stop)
{
    private RollbackRequest Request => journal.Request;

    private DateTime Deadline => Request.Deadline.UtcDateTime;

    /// <summary>The provider's last transient failure while it is still failing, named if the budget runs out.</summary>
    public string? LastTransientError { get; private set; }

    public async Task<StageVerdict> RunAsync()
    {
        stop.ThrowIfCancellationRequested();
        var target = plan.Target!;

        // Section 10: the summary as pinned is written by the start before it requests anything.
        var pinned = journal.Summary;
        journal.EnterPhase(RollbackPhase.Deploying);
        journal.Note("DeploymentRequested", StepStatus.Started, $"{target.Version} through provider '{plan.ProviderName}', idempotency key {Request.RollbackId}, no migrations, no secret rotation");
        var (deploymentId, firstProgress, refused) = await StartAsync(target, pinned).ConfigureAwait(true);
        return refused ?? await AwaitCompletionAsync(deploymentId!, firstProgress).ConfigureAwait(true);
    }

    private async Task<(string? DeploymentId, DeploymentPollResult? FirstProgress, StageVerdict? Verdict)> StartAsync(RollbackTarget target, RollbackRecord pinned)
    {
        var failures = 0;
        while (context.CurrentUtcDateTime < Deadline)
        {
            var started = await context.CallAsync<DeploymentStartResult>(nameof(StartDeploymentActivity), new StartDeploymentInput(
                Request.RollbackId, plan.ProviderName!, Request.Component, target.Version, target.Artifact,
                mode == DeploymentMode.Drill ? $"Rollback drill {Request.RollbackId}" : $"{Request.Trigger.Reason}: rollback {Request.RollbackId}",
                Request.Deadline, journal.Hand(pinned), mode == DeploymentMode.Drill ? null : plan.CurrentVersion, mode), stop).ConfigureAwait(true);
            if (started.Started)
            {
                LastTransientError = null;
                journal.Update(s => s with { DeploymentId = started.DeploymentId });
                journal.EnterPhase(RollbackPhase.Deploying);
                journal.Note("DeploymentStarted", StepStatus.Passed, $"Deployment {started.DeploymentId}"
                    + (started.AlreadyStarted ? " (already started under this idempotency key)" : "")
                    + (failures > 0 ? $" after {failures} failed attempt(s)" : ""));
                return (started.DeploymentId, started.FirstProgress, null);
            }

            var failure = started.Failure ?? new ProviderCallFailure("no deployment id", false, false, null);
            if (failure.DeadlinePassed)
            {
                return (null, null, OutOfTime("The deployment could not be started before the deadline: " + failure.Error));
            }

            if (!failure.Transient)
            {
                return (null, null, Fail("DeploymentStarted", "The deployment provider refused the deployment: " + failure.Error));
            }

            if (++failures == 1)
            {
                journal.Note("DeploymentStartRetrying", StepStatus.Info, $"The deployment could not be started ({failure.Error}); trying again within the budget (same idempotency key).");
            }

            await WaitBeforeRetryAsync(failure).ConfigureAwait(true);
        }

        return (null, null, OutOfTime("The deployment was not started before the deadline."));
    }

    /// <summary>Polls until the deployment finishes; a transient failure to read it is polled again, a refusal (401, 404, malformed answer) fails at once.</summary>
    private async Task<StageVerdict> AwaitCompletionAsync(string deploymentId, DeploymentPollResult? firstProgress)
    {
        var unread = 0;
        var poll = firstProgress;
        while (context.CurrentUtcDateTime < Deadline)
        {
            poll ??= await context.CallAsync<DeploymentPollResult>(nameof(GetDeploymentProgressActivity),
                new GetDeploymentProgressInput(Request.RollbackId, plan.ProviderName!, Request.Component, deploymentId, Request.Deadline, journal.Hand()), stop).ConfigureAwait(true);
            if (poll.Progress is not { } progress)
            {
                var failure = poll.Failure ?? new ProviderCallFailure("no progress in the answer", false, false, null);
                if (failure.DeadlinePassed)
                {
                    return OutOfTime($"The progress of deployment {deploymentId} could not be read before the deadline: {failure.Error}");
                }

                if (!failure.Transient)
                {
                    return Fail("DeploymentCompleted", $"The progress of deployment {deploymentId} could not be read: {failure.Error}");
                }

                if (++unread == 1)
                {
                    journal.Note("DeploymentProgressUnavailable", StepStatus.Info, $"The progress of deployment {deploymentId} could not be read ({failure.Error}); polling again within the budget.");
                }

                await WaitBeforeRetryAsync(failure).ConfigureAwait(true);
                poll = null;
                continue;
            }

            if (unread > 0)
            {
                journal.Note("DeploymentProgressAvailable", StepStatus.Info, $"The progress of deployment {deploymentId} was read again after {unread} failed attempt(s).");
                unread = 0;
                LastTransientError = null;
            }

            if (progress.IsFinished)
            {
                return Finished(deploymentId, progress);
            }

            await context.PauseAsync(journal.Policy.DeploymentPollInterval, Deadline, stop).ConfigureAwait(true);
            poll = null;
        }

        return OutOfTime($"Deployment {deploymentId} did not finish before the deadline.");
    }

    /// <summary>Section 9: a partial rollback is never a success.</summary>
    private StageVerdict Finished(string deploymentId, DeploymentProgress progress)
    {
        var units = string.Join(", ", progress.Units.Select(u => $"{u.Name}={u.Status}"));
        if (progress.State != DeploymentState.Succeeded)
        {
            return Fail("DeploymentCompleted", $"Deployment {deploymentId} ended {progress.State}" + (progress.Message is null ? "" : $" ({progress.Message})") + $"; units: {units}");
        }

        var notSucceeded = progress.Units.Where(u => !string.Equals(u.Status, nameof(DeploymentState.Succeeded), StringComparison.OrdinalIgnoreCase)).ToList();
        if (notSucceeded.Count > 0)
        {
            return Fail("DeploymentCompleted",
                $"Partial deployment: unit(s) {string.Join(", ", notSucceeded.Select(u => $"{u.Name}={u.Status}"))} of deployment {deploymentId} did not succeed; a partial rollback is never a success (section 9).");
        }

        journal.Note("DeploymentCompleted", StepStatus.Passed, $"Deployment {deploymentId} succeeded; units: {units}");
        return StageVerdict.Pass;
    }

    /// <summary>The poll interval, or longer when the server asked; never past the deadline (the budget timer ends it there).</summary>
    private Task WaitBeforeRetryAsync(ProviderCallFailure failure)
    {
        LastTransientError = failure.Error;
        var interval = journal.Policy.DeploymentPollInterval;
        return context.PauseAsync(failure.RetryAfter is { } asked && asked > interval ? asked : interval, Deadline, stop);
    }

    private static StageVerdict OutOfTime(string reason) => new(false, reason, OutOfTime: true);

    private StageVerdict Fail(string stepName, string reason)
    {
        journal.Note(stepName, StepStatus.Failed, reason);
        return new StageVerdict(false, reason);
    }
}
