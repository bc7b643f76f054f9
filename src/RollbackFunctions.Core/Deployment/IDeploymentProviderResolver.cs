namespace RollbackFunctions.Deployment;

/// <summary>
/// Finds the provider a component deploys through. Providers are registered as keyed services, keyed by
/// <see cref="Configuration.DeploymentProviderType"/>; the resolver reads the named entry of
/// <c>Rollback:Providers</c> and returns the implementation of its type. Adding a CI/CD system is one provider class,
/// its options, and one keyed registration.
/// </summary>
public interface IDeploymentProviderResolver
{
    /// <exception cref="DeploymentProviderException">No provider of that name is configured.</exception>
    IDeploymentProvider Resolve(string providerName);
}
