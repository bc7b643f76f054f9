namespace RollbackFunctions.Deployment;

/// <summary>
/// The settings of every <c>Rollback:Providers</c> entry of one provider type, by provider name, each bound from
/// <c>Rollback:Providers:{name}:{section}</c>. A provider reads its entry here and its validator checks them all at
/// start, so the "Rollback" options carry no provider's settings.
/// </summary>
public sealed class DeploymentProviderEntries<TSettings>
    where TSettings : class, IDeploymentProviderSettings, new()
{
    public Dictionary<string, TSettings> Entries { get; } = new(StringComparer.Ordinal);
}
