using DurableTask.AzureStorage;
using Microsoft.Extensions.Azure;
using RollbackFunctions.Storage;

namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>
/// The task hub's named connection, resolved by <see cref="StorageConnection"/> like every storage connection of the
/// app: a connection string, or the account's endpoints (<c>accountName</c>, or <c>blobServiceUri</c> +
/// <c>queueServiceUri</c> + <c>tableServiceUri</c>) with the credential <see cref="AzureComponentFactory"/> builds.
/// </summary>
internal static class TaskHubStorageConnection
{
    public static StorageAccountClientProvider CreateClientProvider(
        AzureComponentFactory factory, IConfiguration configuration, string connectionName)
    {
        try
        {
            // The hub needs three services, so one serviceUri cannot name its account.
            StorageConnection Resolve(string service) =>
                StorageConnection.Resolve(factory, configuration, connectionName, service, acceptsServiceUri: false);
            var table = Resolve("table");
            return table.ConnectionString is not null
                ? new StorageAccountClientProvider(table.ConnectionString)
                : new StorageAccountClientProvider(Resolve("blob").Endpoint!, Resolve("queue").Endpoint!, table.Endpoint!, table.Credential!);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"The durable task hub's storage: {ex.Message} Or set 'DurableEngine__Mode=InMemory'.", ex);
        }
    }
}
