using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RollbackFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Table Storage for the ledger, the audit and component state, from the named connection
    /// (<see cref="TableStorageConnection.DefaultConnectionName"/>): a connection string or an identity-based endpoint.
    /// </summary>
    public static IServiceCollection AddRollbackStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RollbackStorageOptions>()
            .Bind(configuration.GetSection(RollbackStorageOptions.SectionName + "Options"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(_ => TableStorageConnection.FromConfiguration(configuration));
        services.TryAddSingleton(sp => sp.GetRequiredService<TableStorageConnection>().CreateServiceClient(new TableClientOptions
        {
            Retry = { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200), NetworkTimeout = TimeSpan.FromSeconds(10) },
        }));
        services.TryAddSingleton<RollbackTables>();
        services.TryAddSingleton<ReleaseLedger>();
        services.TryAddSingleton<ComponentStateStore>();
        services.TryAddSingleton<TriggerKeyStore>();
        services.TryAddSingleton<RollbackAuditStore>();
        return services;
    }
}
