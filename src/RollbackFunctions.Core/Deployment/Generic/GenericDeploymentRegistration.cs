using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.Generic;

internal static class GenericDeploymentRegistration
{
    /// <summary>The platform's own deployment API, on the same deadline-aware retries as the CI/CD providers.</summary>
    public static void AddGenericDeploymentProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderSettings<GenericDeploymentOptions, GenericDeploymentOptionsValidator>(configuration);
        services.TryAddSingleton<GenericDeploymentCredentials>();
        services.AddProviderClient<GenericDeploymentProvider>(DeploymentProviderType.Generic);
    }
}
