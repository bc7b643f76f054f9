using Microsoft.DurableTask;
using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow;

/// <summary>One progress poll of a started deployment; the workflow waits between polls with a durable timer.</summary>
public sealed class GetDeploymentProgressActivity(IDeploymentProviderResolver providers, TimeProvider time) : TaskActivity<GetDeploymentProgressInput, DeploymentPollResult>
{
    public override async Task<DeploymentPollResult> RunAsync(TaskActivityContext context, GetDeploymentProgressInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var provider = providers.Resolve(input.ProviderName);
            var progress = await provider.GetProgressAsync(
                new DeploymentQuery(input.ProviderName, input.DeploymentId, input.RollbackId, input.Component, input.Deadline),
                CancellationToken.None).ConfigureAwait(false);
            return new DeploymentPollResult(progress);
        }
        catch (DeploymentProviderException ex)
        {
            return new DeploymentPollResult(null, ProviderCallFailure.From(ex, input.Deadline, time));
        }
    }
}
