using Microsoft.DurableTask;
using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Asks the component's CI/CD system to deploy the pinned target (section 6). The rollback id is the idempotency key,
/// so running this again after a crash returns the deployment already started and deploys nothing new.
/// </summary>
public sealed class StartDeploymentActivity(IDeploymentProviderResolver providers) : TaskActivity<StartDeploymentInput, DeploymentStartResult>
{
    public override async Task<DeploymentStartResult> RunAsync(TaskActivityContext context, StartDeploymentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var provider = providers.Resolve(input.ProviderName);
            var started = await provider.StartAsync(
                new DeploymentRequest(input.ProviderName, input.RollbackId, input.Component, input.Version, input.Artifact, input.Reason, input.Deadline),
                CancellationToken.None).ConfigureAwait(false);
            return new DeploymentStartResult(started.DeploymentId, started.AlreadyStarted, null);
        }
        catch (DeploymentProviderException ex)
        {
            // Retrying will not help (refused, unknown provider, retries exhausted): the workflow records why and fails.
            return new DeploymentStartResult(null, false, ex.Message);
        }
    }
}
