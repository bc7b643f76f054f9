namespace RollbackFunctions.Tests.Storage;

/// <summary>
/// Points the managed identity credential at a loopback App Service identity endpoint (process environment, so the
/// tests that use it run one at a time) and restores the environment afterwards.
/// </summary>
[CollectionDefinition(nameof(ManagedIdentityEnvironment), DisableParallelization = true)]
public sealed class ManagedIdentityEnvironment : IDisposable
{
    private static readonly string[] Variables = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"];
    private readonly Dictionary<string, string?> saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);

    private ManagedIdentityEnvironment(string endpoint)
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "loopback-identity-header");
    }

    public static ManagedIdentityEnvironment PointAt(string endpoint) => new(endpoint);

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
