using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.GitHubActions;

internal static class GitHubActionsRegistration
{
    /// <summary>GitHub's REST API version the app speaks.</summary>
    public const string ApiVersion = "2022-11-28";

    public static void AddGitHubActionsProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderSettings<GitHubActionsOptions, GitHubActionsOptionsValidator>(configuration);
        services.TryAddSingleton<GitHubAppTokenSource>();
        services.AddProviderClient<GitHubActionsDeploymentProvider>(DeploymentProviderType.GitHubActions, ConfigureClient);
    }

    /// <summary>The headers GitHub's REST API asks every client for; the deployment protection rule's client uses them too.</summary>
    public static void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RollbackFunctions", "1.0"));
    }
}
