using Azure.Core;
using Microsoft.Extensions.Azure;

namespace RollbackFunctions.Storage;

/// <summary>
/// A named storage connection resolved the way the Functions extensions resolve one: the setting itself (or
/// <c>ConnectionStrings:{name}</c>) is a connection string (Azurite, local), or its children name the service's
/// endpoint (<c>{service}ServiceUri</c>, <c>serviceUri</c> for a one-service connection, or <c>accountName</c>) and
/// the credential <see cref="AzureComponentFactory"/> builds from them (<c>credential=managedidentity</c>,
/// <c>clientId</c> for a user-assigned identity; otherwise the developer's credentials).
/// </summary>
/// <remarks>
/// The client is built by <see cref="AzureComponentFactory"/> from a configuration holding only the connection string
/// or only the endpoint, so no account key or SAS is ever read from an identity-based configuration.
/// </remarks>
public sealed class StorageConnection
{
    public const string DefaultConnectionName = "RollbackStorage";

    private StorageConnection(string? connectionString, Uri? endpoint, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        Endpoint = endpoint;
        Credential = credential;
    }

    public string? ConnectionString { get; }

    public Uri? Endpoint { get; }

    public TokenCredential? Credential { get; }

    public bool UsesIdentity => Credential is not null;

    public static StorageConnection FromIdentity(Uri endpoint, TokenCredential credential) => new(null, endpoint, credential);

    /// <summary>
    /// Reads the named connection for one service (<c>table</c>, <c>blob</c>, <c>queue</c>); throws with the
    /// setting's name when it is missing or not an absolute URI.
    /// </summary>
    public static StorageConnection Resolve(
        AzureComponentFactory factory, IConfiguration configuration, string connectionName, string service, bool acceptsServiceUri = true)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var section = FindSection(configuration, connectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new StorageConnection(section.Value, null, null);
        }

        var endpoint = ServiceUri(section, connectionName, service, acceptsServiceUri)
            ?? throw new InvalidOperationException(MissingMessage(connectionName, service, acceptsServiceUri));
        return new StorageConnection(null, endpoint, factory.CreateTokenCredential(section));
    }

    /// <summary>The message naming the settings to set, or <c>null</c> when the connection is configured.</summary>
    public static string? Validate(IConfiguration configuration, string connectionName, string service, bool acceptsServiceUri = true)
    {
        var section = FindSection(configuration, connectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return null;
        }

        try
        {
            return ServiceUri(section, connectionName, service, acceptsServiceUri) is null
                ? MissingMessage(connectionName, service, acceptsServiceUri)
                : null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Builds <typeparamref name="TClient"/> through <see cref="AzureComponentFactory"/>, as the Functions extensions do.</summary>
    public TClient CreateClient<TClient>(AzureComponentFactory factory, object options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        KeyValuePair<string, string?> setting = ConnectionString is not null
            ? new("connectionString", ConnectionString)
            : new("endpoint", Endpoint!.AbsoluteUri);
        var clientConfiguration = new ConfigurationBuilder().AddInMemoryCollection([setting]).Build();
        return (TClient)factory.CreateClient(typeof(TClient), clientConfiguration, Credential, options);
    }

    private static IConfigurationSection FindSection(IConfiguration configuration, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(connectionName);
        var fromConnectionStrings = configuration.GetSection("ConnectionStrings").GetSection(connectionName);
        return !section.Exists() && fromConnectionStrings.Exists() ? fromConnectionStrings : section;
    }

    private static Uri? ServiceUri(IConfigurationSection section, string connectionName, string service, bool acceptsServiceUri)
    {
        foreach (var key in acceptsServiceUri ? new[] { service + "ServiceUri", "serviceUri" } : [service + "ServiceUri"])
        {
            var text = section[key];
            if (!string.IsNullOrWhiteSpace(text))
            {
                return Uri.TryCreate(text, UriKind.Absolute, out var uri)
                    ? uri
                    : throw new InvalidOperationException($"'{connectionName}__{key}' is not an absolute URI: '{text}'.");
            }
        }

        var accountName = section["accountName"];
        return string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.{service}.core.windows.net");
    }

    private static string MissingMessage(string connectionName, string service, bool acceptsServiceUri) =>
        $"Storage connection '{connectionName}' is not configured: set '{connectionName}' to a connection string, or " +
        $"'{connectionName}__{service}ServiceUri' ({(acceptsServiceUri ? $"or '{connectionName}__serviceUri', " : string.Empty)}" +
        $"or '{connectionName}__accountName') for an identity-based connection.";
}
