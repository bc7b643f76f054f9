using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Tests.Storage;

/// <summary>The table connection resolved and built by the same <see cref="AzureComponentFactory"/> the app uses.</summary>
internal static class StorageConnections
{
    private static readonly Lazy<AzureComponentFactory> Factory = new(() =>
    {
        var services = new ServiceCollection();
        services.AddAzureClientsCore();
        return services.BuildServiceProvider().GetRequiredService<AzureComponentFactory>();
    });

    public static StorageConnection Resolve(IConfiguration configuration) =>
        StorageConnection.Resolve(Factory.Value, configuration, StorageConnection.DefaultConnectionName, "table");

    public static TableServiceClient CreateServiceClient(this StorageConnection connection, TableClientOptions? options = null) =>
        connection.CreateClient<TableServiceClient>(Factory.Value, options ?? new TableClientOptions());
}
