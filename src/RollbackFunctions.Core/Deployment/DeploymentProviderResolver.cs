namespace RollbackFunctions.Deployment;

/// <summary>Reads the named <c>Rollback:Providers</c> entry and returns the keyed provider of its type.</summary>
public sealed class DeploymentProviderResolver(IServiceProvider services, IOptionsMonitor<RollbackOptions> options) : IDeploymentProviderResolver
{
    public IDeploymentProvider Resolve(string providerName)
    {
        if (!options.CurrentValue.Providers.TryGetValue(providerName, out var provider))
        {
            throw new DeploymentProviderException($"No deployment provider named '{providerName}' is configured under Rollback:Providers.");
        }

        return services.GetKeyedService<IDeploymentProvider>(provider.Type)
            ?? throw new DeploymentProviderException($"Deployment provider '{providerName}' has type {provider.Type}, which this app does not implement.");
    }
}
