using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;
using RollbackFunctions.Gate.GitHub;
using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Gate;

public static class GateServiceCollectionExtensions
{
    /// <summary>
    /// The deployment gate and the GitHub deployment protection rule over it: <see cref="DeploymentGate"/>,
    /// <see cref="GitHubDeploymentProtectionHandler"/> and its typed callback client (standard resilience handler),
    /// and <c>Rollback:GitHubProtection</c> validated at start. Expects the workflow's registration (Rollback options,
    /// storage). Idempotent: the intake registers it for both hosts, and a second call adds nothing (the typed client's
    /// default headers would otherwise be added twice).
    /// </summary>
    public static IServiceCollection AddDeploymentGate(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(DeploymentGate)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeploymentGate>();
        services.TryAddSingleton<GitHubAppTokenSource>();
        services.AddValidatedOptions<GitHubProtectionOptions, GitHubProtectionOptionsValidator>(configuration.GetSection(GitHubProtectionOptions.SectionName));

        services.AddHttpClient<GitHubProtectionCallbackClient>(static client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                GitHubRestClient.Configure(client);
            })
            // It carries the installation token: no redirect, no plain http but to loopback.
            .CarriesCredentials()
            .AddCiCdResilience(services);
        services.TryAddTransient<GitHubDeploymentProtectionHandler>();
        return services;
    }
}
