using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;

namespace RollbackFunctions.Deployment;

/// <summary>
/// The Entra ID identity the app calls deployment systems with. In Azure a user-assigned managed identity (by client
/// id) or the system-assigned one; locally the developer's own credentials. Tests supply their own credential.
/// </summary>
public interface IDeploymentCredentials
{
    TokenCredential For(string? managedIdentityClientId);
}

/// <summary>
/// <see cref="ManagedIdentityCredential"/> for a configured client id; otherwise <see cref="DefaultAzureCredential"/>,
/// which is the system-assigned managed identity in Azure and Azure CLI / Visual Studio / environment credentials on a
/// developer's machine.
/// </summary>
public sealed class AzureDeploymentCredentials : IDeploymentCredentials
{
    private readonly ConcurrentDictionary<string, TokenCredential> credentials = new(StringComparer.OrdinalIgnoreCase);

    public TokenCredential For(string? managedIdentityClientId) =>
        credentials.GetOrAdd(managedIdentityClientId ?? "", static clientId => string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)));
}

/// <summary>One credential for every provider entry: for tests and for hosts that already hold a credential.</summary>
public sealed class FixedDeploymentCredentials(TokenCredential credential) : IDeploymentCredentials
{
    public TokenCredential For(string? managedIdentityClientId) => credential;
}
