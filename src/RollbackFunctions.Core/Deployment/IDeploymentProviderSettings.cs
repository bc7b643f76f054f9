using RollbackFunctions.Configuration;

namespace RollbackFunctions.Deployment;

/// <summary>What ties a provider type's settings class to its place under <c>Rollback:Providers:{name}</c>.</summary>
public interface IDeploymentProviderSettings
{
    /// <summary>The entry <c>Type</c> these settings belong to.</summary>
    static abstract DeploymentProviderType ProviderType { get; }

    /// <summary>The entry's sub-section holding these settings, e.g. <c>GitHub</c>.</summary>
    static abstract string SectionName { get; }
}
