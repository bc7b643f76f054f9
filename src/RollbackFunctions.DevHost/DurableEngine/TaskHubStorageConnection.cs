using Azure.Core;
using Azure.Identity;
using DurableTask.AzureStorage;

namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>
/// Resolves the task hub's named connection the way the Functions host does: the setting itself is a connection string
/// (Azurite, local), or its children name the account (<c>accountName</c>, or <c>blobServiceUri</c> +
/// <c>queueServiceUri</c> + <c>tableServiceUri</c>) and an Azure.Identity credential (<c>credential=managedidentity</c>,
/// optional <c>clientId</c>), otherwise the developer's credentials.
/// </summary>
internal static class TaskHubStorageConnection
{
    public static StorageAccountClientProvider CreateClientProvider(IConfiguration configuration, string connectionName)
    {
        var section = configuration.GetSection(connectionName);
        var connectionString = section.Value ?? configuration.GetConnectionString(connectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageAccountClientProvider(connectionString);
        }

        var accountName = section["accountName"];
        if (!string.IsNullOrWhiteSpace(accountName))
        {
            return new StorageAccountClientProvider(accountName, CreateCredential(section));
        }

        Uri? blob = ParseUri(section, "blobServiceUri"), queue = ParseUri(section, "queueServiceUri"), table = ParseUri(section, "tableServiceUri");
        if (blob is not null && queue is not null && table is not null)
        {
            return new StorageAccountClientProvider(blob, queue, table, CreateCredential(section));
        }

        throw new InvalidOperationException(
            $"The durable task hub's storage is not configured: set '{connectionName}' to a connection string, or " +
            $"'{connectionName}__accountName' (or '{connectionName}__blobServiceUri', '__queueServiceUri' and '__tableServiceUri') " +
            "for an identity-based connection. Or set 'DurableEngine__Mode=InMemory'.");
    }

    private static Uri? ParseUri(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"'{section.Path}__{key}' is not an absolute URI: '{text}'.");
    }

    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        if (string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });
    }
}
