using Microsoft.DurableTask;
using RollbackFunctions.Deployment;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Asks the component's CI/CD system to deploy the pinned target (section 6), after writing the audit that pins it
/// (section 10). The rollback id is the idempotency key, so running this again after a crash returns the deployment
/// already started and deploys nothing new; the audit rows have deterministic keys and are rewritten unchanged.
/// </summary>
public sealed class StartDeploymentActivity(IDeploymentProviderResolver providers, RollbackAuditStore audit, TimeProvider time)
    : TaskActivity<StartDeploymentInput, DeploymentStartResult>
{
    public override async Task<DeploymentStartResult> RunAsync(TaskActivityContext context, StartDeploymentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A storage failure throws before anything is deployed; the workflow retries the whole activity.
        if (input.AuditFirst is { } pinned)
        {
            await audit.RecordAsync(pinned.Summary, pinned.Steps ?? [], pinned.WriteIndex, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            var provider = providers.Resolve(input.ProviderName);
            var started = await provider.StartAsync(
                new DeploymentRequest(input.ProviderName, input.RollbackId, input.Component, input.Version, input.Artifact, input.Reason, input.Deadline),
                CancellationToken.None).ConfigureAwait(false);
            return new DeploymentStartResult(started.DeploymentId, started.AlreadyStarted, FirstPoll: await FirstPollAsync(provider, input, started.DeploymentId).ConfigureAwait(false));
        }
        catch (DeploymentProviderException ex)
        {
            // The workflow decides: a transient failure is tried again within the budget, a refusal fails the rollback.
            return new DeploymentStartResult(null, false, ProviderCallFailure.From(ex, input.Deadline, time));
        }
    }

    /// <summary>
    /// The first progress read belongs with the start: a deployment that finishes at once then costs no separate
    /// activity. It is a single attempt without the provider's retries, so it never spends the budget here. A transient
    /// failure is dropped and the workflow polls as usual, with retries, recording what the provider answers then; a
    /// refusal (401, 404, malformed answer) would be the same on any retry, so it is the workflow's first poll.
    /// </summary>
    private async Task<DeploymentPollResult?> FirstPollAsync(IDeploymentProvider provider, StartDeploymentInput input, string deploymentId)
    {
        try
        {
            var progress = await provider.GetProgressAsync(
                new DeploymentQuery(input.ProviderName, deploymentId, input.RollbackId, input.Component, input.Deadline, SingleAttempt: true),
                CancellationToken.None).ConfigureAwait(false);
            return new DeploymentPollResult(progress);
        }
        catch (DeploymentProviderException ex) when (!ex.IsTransient && !ex.DeadlinePassed)
        {
            return new DeploymentPollResult(null, ProviderCallFailure.From(ex, input.Deadline, time));
        }
        catch (DeploymentProviderException)
        {
            return null;
        }
    }
}
