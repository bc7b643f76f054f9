using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.AzureDevOps;
using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment;

public static class CiCdDeploymentProvidersServiceCollectionExtensions
{
    /// <summary>GitHub's REST API version the provider speaks.</summary>
    public const string GitHubApiVersion = "2022-11-28";

    /// <summary>
    /// The GitHub Actions and Azure DevOps providers, as <see cref="IDeploymentProvider"/> keyed by
    /// <see cref="DeploymentProviderType"/>, each on a typed <see cref="HttpClient"/> with the standard resilience
    /// handler tuned by <see cref="ProviderResilience"/>; and the start-time validation of their settings. Expects
    /// <see cref="RollbackOptions"/> to be bound (the workflow's registration does it).
    /// </summary>
    public static IServiceCollection AddCiCdDeploymentProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeploymentCredentials, AzureDeploymentCredentials>();
        services.TryAddSingleton<AccessTokenCache>();
        services.TryAddSingleton<GitHubAppTokenSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RollbackOptions>, CiCdProviderOptionsValidator>());
        services.AddOptions<RollbackOptions>().ValidateOnStart();

        services.AddHttpClient<GitHubActionsDeploymentProvider>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", GitHubApiVersion);
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RollbackFunctions", "1.0"));
            })
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .AddCiCdResilience(services);

        services.AddHttpClient<AzureDevOpsDeploymentProvider>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RollbackFunctions", "1.0"));
            })
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .AddCiCdResilience(services);

        // Typed clients are transient (the factory rotates their handlers), so the keyed registrations are too.
        services.AddKeyedTransient<IDeploymentProvider>(
            DeploymentProviderType.GitHubActions, static (provider, _) => provider.GetRequiredService<GitHubActionsDeploymentProvider>());
        services.AddKeyedTransient<IDeploymentProvider>(
            DeploymentProviderType.AzureDevOps, static (provider, _) => provider.GetRequiredService<AzureDevOpsDeploymentProvider>());
        return services;
    }

    /// <summary>The standard resilience handler, bounded per call by its <see cref="ProviderCallPolicy"/> (the rollback's deadline).</summary>
    internal static void AddCiCdResilience(this IHttpClientBuilder builder, IServiceCollection services)
    {
        var pipeline = builder.AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(pipeline.PipelineName)
            .Configure<TimeProvider>(static (options, time) => ProviderResilience.Configure(options, time));
    }

    // A redirect from a CI/CD API is a sign-in page or a moved resource, never the answer: report it, do not follow it.
    private static HttpMessageHandler NoRedirects() => new SocketsHttpHandler { AllowAutoRedirect = false };
}
