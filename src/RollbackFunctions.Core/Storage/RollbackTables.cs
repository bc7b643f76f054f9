using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Storage;

/// <summary>The app's tables, each created once on first use.</summary>
public sealed class RollbackTables(TableServiceClient service, IOptions<RollbackStorageOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public Task<TableClient> ReleasesAsync(CancellationToken cancellationToken = default) => GetAsync("Releases", cancellationToken);

    public Task<TableClient> ComponentsAsync(CancellationToken cancellationToken = default) => GetAsync("Components", cancellationToken);

    public Task<TableClient> RollbacksAsync(CancellationToken cancellationToken = default) => GetAsync("Rollbacks", cancellationToken);

    public Task<TableClient> RollbackIndexAsync(CancellationToken cancellationToken = default) => GetAsync("RollbackIndex", cancellationToken);

    /// <summary>Drills keep the rollbacks' audit shape in tables of their own, so no rollback read ever meets one.</summary>
    public Task<TableClient> DrillsAsync(CancellationToken cancellationToken = default) => GetAsync("Drills", cancellationToken);

    public Task<TableClient> DrillIndexAsync(CancellationToken cancellationToken = default) => GetAsync("DrillIndex", cancellationToken);

    /// <summary>The last readiness the scheduled check saw of each component.</summary>
    public Task<TableClient> ReadinessAsync(CancellationToken cancellationToken = default) => GetAsync("Readiness", cancellationToken);

    /// <summary>One row per schedule occurrence, claimed by the instance that runs it.</summary>
    public Task<TableClient> SchedulesAsync(CancellationToken cancellationToken = default) => GetAsync("Schedules", cancellationToken);

    public Task<TableClient> TriggerKeysAsync(CancellationToken cancellationToken = default) => GetAsync("TriggerKeys", cancellationToken);

    public Task<TableClient> SignalsAsync(CancellationToken cancellationToken = default) => GetAsync("Signals", cancellationToken);

    public string TableName(string logicalName) => options.Value.TablePrefix + logicalName;

    private async Task<TableClient> GetAsync(string logicalName, CancellationToken cancellationToken)
    {
        var lazy = _tables.GetOrAdd(logicalName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A storage outage at first use must not poison the table for the life of the process.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(logicalName, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string logicalName)
    {
        var client = service.GetTableClient(TableName(logicalName));
        try
        {
            await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created concurrently by another instance.
        }

        return client;
    }
}
