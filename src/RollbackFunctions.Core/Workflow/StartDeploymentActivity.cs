using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Asks the component's CI/CD system to deploy the pinned target (section 6) and reads its progress once. The rollback
/// id is the idempotency key, so running this again after a crash returns the deployment already started and deploys
/// nothing new. The audit it was handed (the pinned target, section 10) is written first, then the version rolled
/// back from is marked known bad (idempotent), then the deployment is requested.
/// </summary>
public sealed class StartDeploymentActivity(IDeploymentProviderResolver providers, RollbackAuditStore audit, ReleaseLedger ledger, TimeProvider time)
    : JournaledActivity<StartDeploymentInput, DeploymentStartResult>(audit, readsOnly: false)
{
    protected override async Task<DeploymentStartResult> WorkAsync(StartDeploymentInput input)
    {
        // A storage failure throws before anything is requested; the workflow retries the whole activity.
        if (input.KnownBadVersion is { } knownBad)
        {
            await ledger.MarkRolledBackAsync(input.Component, knownBad, input.RollbackId, CancellationToken.None).ConfigureAwait(false);
        }

        // The workflow decides: a transient failure is tried again within the budget, a refusal fails the rollback.
        return await providers.CallAsync(
            input.ProviderName,
            async provider =>
            {
                var started = await provider.StartAsync(
                    new DeploymentRequest(input.ProviderName, input.RollbackId, input.Component, input.Version, input.Artifact, input.Reason, input.Deadline, input.Mode),
                    CancellationToken.None).ConfigureAwait(false);
                return new DeploymentStartResult(started.DeploymentId, started.AlreadyStarted, FirstProgress: await FirstProgressAsync(provider, input, started.DeploymentId).ConfigureAwait(false));
            },
            ex => new DeploymentStartResult(null, false, ProviderCallFailure.From(ex, input.Deadline, time))).ConfigureAwait(false);
    }

    /// <summary>
    /// A single attempt without the provider's retries, so it never spends the budget here. A transient failure is
    /// dropped and the workflow polls as usual, with retries; a refusal (401, 404, malformed answer) would be the same
    /// on any retry, so it is the workflow's first poll.
    /// </summary>
    private async Task<DeploymentPollResult?> FirstProgressAsync(IDeploymentProvider provider, StartDeploymentInput input, string deploymentId)
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
