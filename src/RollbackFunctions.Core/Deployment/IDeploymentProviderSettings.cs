namespace RollbackFunctions.Deployment;

/// <summary>What ties a provider type's settings class to its place under <c>Rollback:Providers:{name}</c>.</summary>
public interface IDeploymentProviderSettings
{
    /// <summary>The entry <c>Type</c> these settings belong to.</summary>
    static abstract DeploymentProviderType ProviderType { get; }

    /// <summary>The entry's sub-section holding these settings, e.g. <c>GitHub</c>.</summary>
    static abstract string SectionName { get; }

    /// <summary>Adds a message for every setting that could never work, each naming its setting under <paramref name="path"/> and no secret.</summary>
    /// <param name="path">The entry's settings path, e.g. <c>Rollback:Providers:web:GitHub</c>.</param>
    void Validate(string path, ICollection<string> failures);
}
