using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow;

/// <summary>One progress poll of a started deployment; the workflow waits between polls with a durable timer.</summary>
/// <remarks>A poll changes nothing, so the audit it was handed is written beside it.</remarks>
public sealed class GetDeploymentProgressActivity(IDeploymentProviderResolver providers, RollbackAuditStore audit, TimeProvider time)
    : JournaledActivity<GetDeploymentProgressInput, DeploymentPollResult>(audit, readsOnly: true)
{
    protected override Task<DeploymentPollResult> WorkAsync(GetDeploymentProgressInput input) => providers.CallAsync(
        input.ProviderName,
        async provider => new DeploymentPollResult(await provider.GetProgressAsync(
            new DeploymentQuery(input.ProviderName, input.DeploymentId, input.RollbackId, input.Component, input.Deadline),
            CancellationToken.None).ConfigureAwait(false)),
        ex => new DeploymentPollResult(null, ProviderCallFailure.From(ex, input.Deadline, time)));
}
