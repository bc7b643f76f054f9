using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.AzureDevOps;

internal static class AzureDevOpsRegistration
{
    public static void AddAzureDevOpsProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderSettings<AzureDevOpsOptions, AzureDevOpsOptionsValidator>(configuration);
        services.AddProviderClient<AzureDevOpsDeploymentProvider>(DeploymentProviderType.AzureDevOps, static client =>
        {
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RollbackFunctions", "1.0"));
        });
    }
}
