namespace RollbackFunctions.Deployment;

public static class DeploymentProviderCalls
{
    /// <summary>
    /// Resolves the named provider and calls it. A refusal or a failure, of the call or of the resolution (no such
    /// provider), comes back through <paramref name="onFailure"/> as a value: the workflow, not the activity, decides
    /// what a failed call means, and an activity that threw would be retried by the engine outside the budget.
    /// </summary>
    public static async Task<TResult> CallAsync<TResult>(
        this IDeploymentProviderResolver providers,
        string providerName,
        Func<IDeploymentProvider, Task<TResult>> call,
        Func<DeploymentProviderException, TResult> onFailure)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(onFailure);
        try
        {
            return await call(providers.Resolve(providerName)).ConfigureAwait(false);
        }
        catch (DeploymentProviderException ex)
        {
            return onFailure(ex);
        }
    }
}
