using System.Net.Http.Headers;
using RollbackFunctions.Deployment.AzureDevOps;
using RollbackFunctions.Deployment.Generic;
using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment;

public static class DeploymentProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Every deployment provider (generic, GitHub Actions, Azure DevOps) as <see cref="IDeploymentProvider"/> keyed by
    /// <see cref="DeploymentProviderType"/>, each on a typed <see cref="HttpClient"/> with the deadline-aware resilience
    /// handler; each provider's <c>Rollback:Providers:{name}:{Generic|GitHub|AzureDevOps}</c> settings bound and
    /// validated at start; and <see cref="IDeploymentProviderResolver"/>, which picks the provider by the entry's type.
    /// </summary>
    public static IServiceCollection AddDeploymentProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddProvider<GenericDeploymentProvider, GenericDeploymentOptions>(configuration);
        services.AddProvider<GitHubActionsDeploymentProvider, GitHubActionsOptions>(configuration, GitHubRestClient.Configure);
        services.AddProvider<AzureDevOpsDeploymentProvider, AzureDevOpsOptions>(configuration, static client =>
        {
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RollbackFunctions", "1.0"));
        });

        services.TryAddSingleton<GenericDeploymentCredentials>();
        services.TryAddSingleton<GitHubAppTokenSource>();
        // One Entra ID identity and token cache for every provider that asks for a token.
        services.TryAddSingleton<IDeploymentCredentials, AzureDeploymentCredentials>();
        services.TryAddSingleton<AccessTokenCache>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeploymentProviderResolver, DeploymentProviderResolver>();
        return services;
    }
}
