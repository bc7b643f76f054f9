using Azure.Data.Tables;
using Microsoft.Extensions.Azure;

namespace RollbackFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Table Storage for the ledger, the audit and component state, from the named connection
    /// (<see cref="StorageConnection.DefaultConnectionName"/>): a connection string or an identity-based endpoint,
    /// built through <c>AddAzureClients</c> and <see cref="AzureComponentFactory"/>. A missing setting fails at start.
    /// </summary>
    public static IServiceCollection AddRollbackStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RollbackStorageOptions>()
            .Bind(configuration.GetSection(RollbackStorageOptions.SectionName + "Options"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RollbackStorageOptions>>(
            new StorageConnectionValidation(configuration, StorageConnection.DefaultConnectionName, "table"));

        // Read at first use, not here: test hosts and the Functions host add configuration after registration.
        services.TryAddSingleton(sp => StorageConnection.Resolve(
            sp.GetRequiredService<AzureComponentFactory>(), configuration, StorageConnection.DefaultConnectionName, "table"));
        services.AddAzureClients(clients => clients
            .AddClient<TableServiceClient, TableClientOptions>((options, _, provider) =>
                provider.GetRequiredService<StorageConnection>().CreateClient<TableServiceClient>(
                    provider.GetRequiredService<AzureComponentFactory>(), options))
            .WithCredential(provider => provider.GetRequiredService<StorageConnection>().Credential
                ?? provider.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(configuration.GetSection(StorageConnection.DefaultConnectionName)))
            .ConfigureOptions(options =>
            {
                options.Retry.MaxRetries = 3;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            }));

        // The client factory forwards the Azure SDK's event source to ILogger: a line for every request at Information.
        // Warnings and errors stay; 'Logging:LogLevel:Azure.Core' opts back in.
        services.AddLogging(logging => logging.AddFilter("Azure", LogLevel.Warning));
        services.TryAddSingleton<RollbackTables>();
        services.TryAddSingleton<ReleaseLedger>();
        services.TryAddSingleton<ComponentStateStore>();
        services.TryAddSingleton<TriggerKeyStore>();
        services.TryAddSingleton<RollbackAuditStore>();
        services.TryAddSingleton<ReadinessMemory>();
        return services;
    }
}
