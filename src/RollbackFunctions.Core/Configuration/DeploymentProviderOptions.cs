using RollbackFunctions.Deployment.AzureDevOps;
using RollbackFunctions.Deployment.GitHubActions;

namespace RollbackFunctions.Configuration;

public enum DeploymentProviderType
{
    /// <summary>The platform's own deployment API (API.md, "What the app calls").</summary>
    Generic,
    GitHubActions,
    AzureDevOps,
}

public sealed class DeploymentProviderOptions
{
    public DeploymentProviderType Type { get; set; } = DeploymentProviderType.Generic;

    public GenericDeploymentOptions Generic { get; set; } = new();

    /// <summary>Used when <see cref="Type"/> is <see cref="DeploymentProviderType.GitHubActions"/>.</summary>
    public GitHubActionsOptions GitHub { get; set; } = new();

    /// <summary>Used when <see cref="Type"/> is <see cref="DeploymentProviderType.AzureDevOps"/>.</summary>
    public AzureDevOpsOptions AzureDevOps { get; set; } = new();
}

/// <remarks>The platform's own API is close by: retries start after 250 ms rather than the CI/CD systems' 1 s.</remarks>
public sealed class GenericDeploymentOptions : CiCdHttpOptions
{
    public GenericDeploymentOptions()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(250);
    }

    public Uri? BaseUrl { get; set; }

    /// <summary>Entra ID scope of the deployment API (e.g. <c>api://deployments/.default</c>); a token comes from Azure.Identity.</summary>
    public string? Scope { get; set; }

    /// <summary>For local use instead of a token: a static header, as "Name: value".</summary>
    public string? StaticHeader { get; set; }

    /// <summary>Managed identity client id for the token; the developer's credentials when empty.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
