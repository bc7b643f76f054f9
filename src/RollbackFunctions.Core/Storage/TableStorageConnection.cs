using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace RollbackFunctions.Storage;

/// <summary>
/// Builds the Table Storage client the way Azure Functions resolves a named connection: the setting itself is a
/// connection string (Azurite, local), or its children name an endpoint (<c>tableServiceUri</c>, or
/// <c>accountName</c>) and an Azure.Identity credential: managed identity with <c>credential=managedidentity</c>
/// and optionally <c>clientId</c> for a user-assigned identity, otherwise the developer's credentials.
/// No account key is ever read from an identity-based configuration.
/// </summary>
public sealed class TableStorageConnection
{
    public const string DefaultConnectionName = "RollbackStorage";

    private TableStorageConnection(string? connectionString, Uri? endpoint, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        Endpoint = endpoint;
        Credential = credential;
    }

    public string? ConnectionString { get; }

    public Uri? Endpoint { get; }

    public TokenCredential? Credential { get; }

    public bool UsesIdentity => Credential is not null;

    public static TableStorageConnection FromConnectionString(string connectionString) =>
        new(connectionString, null, null);

    public static TableStorageConnection FromIdentity(Uri endpoint, TokenCredential credential) =>
        new(null, endpoint, credential);

    /// <summary>Reads the named connection; throws with the setting's name when it is missing or incomplete.</summary>
    public static TableStorageConnection FromConfiguration(IConfiguration configuration, string connectionName = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(connectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return FromConnectionString(section.Value);
        }

        var endpointText = section["tableServiceUri"];
        if (string.IsNullOrWhiteSpace(endpointText) && !string.IsNullOrWhiteSpace(section["accountName"]))
        {
            endpointText = $"https://{section["accountName"]}.table.core.windows.net";
        }

        if (string.IsNullOrWhiteSpace(endpointText))
        {
            throw new InvalidOperationException(
                $"Table Storage is not configured: set '{connectionName}' to a connection string, or " +
                $"'{connectionName}__tableServiceUri' (or '{connectionName}__accountName') for an identity-based connection.");
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException($"'{connectionName}__tableServiceUri' is not an absolute URI: '{endpointText}'.");
        }

        return FromIdentity(endpoint, CreateCredential(section));
    }

    public TableServiceClient CreateServiceClient(TableClientOptions? options = null) =>
        ConnectionString is not null
            ? new TableServiceClient(ConnectionString, options)
            : new TableServiceClient(Endpoint!, Credential!, options);

    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        var credentialKind = section["credential"];
        if (string.Equals(credentialKind, "managedidentity", StringComparison.OrdinalIgnoreCase))
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
