namespace RollbackFunctions.Configuration;

public enum DeploymentProviderType
{
    /// <summary>The platform's own deployment API (API.md, "What the app calls").</summary>
    Generic,
    GitHubActions,
    AzureDevOps,
}

/// <summary>
/// An entry of <c>Rollback:Providers</c> as the workflow sees it: the type, which picks the provider. The provider's
/// own settings (<c>Rollback:Providers:{name}:Generic</c>, <c>:GitHub</c>, <c>:AzureDevOps</c>) are bound and
/// validated by that provider's registration (<c>AddDeploymentProviders</c>), not here.
/// </summary>
public sealed class DeploymentProviderOptions
{
    public DeploymentProviderType Type { get; set; } = DeploymentProviderType.Generic;
}
