using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Asks the CI/CD system to stop a deployment still in flight when the rollback ends without it (TimedOut, or an
/// operator's abort), so no change lands after the end. Best effort: whatever the provider answers, or why the
/// request failed, comes back for the audit; it never fails the end. Cancelling twice is harmless (the second answer
/// is "already ended").
/// </summary>
public sealed class CancelDeploymentActivity(IDeploymentProviderResolver providers, RollbackAuditStore audit)
    : JournaledActivity<CancelDeploymentInput, CancelDeploymentResult>(audit, readsOnly: false)
{
    protected override Task<CancelDeploymentResult> WorkAsync(CancelDeploymentInput input) => providers.CallAsync(
        input.ProviderName,
        async provider =>
        {
            var cancelled = await provider.CancelAsync(
                new DeploymentCancellation(input.ProviderName, input.DeploymentId, input.RollbackId, input.Component, input.Reason, input.Deadline),
                CancellationToken.None).ConfigureAwait(false);
            return new CancelDeploymentResult(cancelled.Outcome, cancelled.Detail);
        },
        ex => new CancelDeploymentResult(null, ex.Message));
}
