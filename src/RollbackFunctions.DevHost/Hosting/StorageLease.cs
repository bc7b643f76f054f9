using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using RollbackFunctions.DevHost.DurableEngine;
using RollbackFunctions.Storage;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>
/// One dev host per set of tables and per task hub. Two hosts on the same Azurite with the same table prefix or task
/// hub do not fail: they take each other's work. The other host's worker runs this host's activities with its own
/// configuration, and its reconciler ends claims whose orchestration it cannot see. So at start the host takes a lease
/// row for its table prefix and one for its task hub, in <see cref="TableName"/>, renewed every
/// <see cref="RenewInterval"/>. If a live host holds either lease, this host refuses to start and names that host.
/// A lease is free when it is released at stop, when it has not been renewed for <see cref="ExpiresAfter"/>, or when
/// its holder ran on this machine and that process is gone (a host killed with SIGKILL restarts at once).
/// </summary>
/// <remarks>
/// Scaled-out instances of the Functions app share a task hub by design. This guard belongs to the dev host only.
/// <c>DevHost:AllowSharedStorage=true</c> turns it off.
/// </remarks>
internal sealed partial class StorageLease(
    TableServiceClient service,
    IConfiguration configuration,
    IOptions<RollbackStorageOptions> storage,
    IOptions<DurableEngineOptions> engine,
    IOptions<DevHostOptions> devHost,
    TimeProvider time,
    ILogger<StorageLease> logger) : BackgroundService
{
    public const string TableName = "RollbackDevHostLeases";

    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ExpiresAfter = TimeSpan.FromSeconds(35);

    private const string Partition = "lease";

    private readonly string _holder = Guid.NewGuid().ToString("N");
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private readonly Dictionary<string, (string What, ETag ETag)> _held = new(StringComparer.Ordinal);
    private TableClient? _table;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (devHost.Value.AllowSharedStorage)
        {
            return;
        }

        _table = service.GetTableClient(TableName);
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (row, what) in Leases())
        {
            _held[row] = (what, await AcquireAsync(row, what, cancellationToken).ConfigureAwait(false));
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (row, (_, etag)) in _held)
        {
            try
            {
                await _table!.DeleteEntityAsync(Partition, row, etag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                // Taken over after it expired, or storage is gone: it expires on its own.
                LogReleaseFailed(logger, row, ex.Status);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_table is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(RenewInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var (row, (what, etag)) in _held.ToList())
            {
                try
                {
                    var response = await _table.UpdateEntityAsync(Row(row, what), etag, TableUpdateMode.Replace, stoppingToken).ConfigureAwait(false);
                    _held[row] = (what, response.Headers.ETag ?? etag);
                }
                catch (RequestFailedException ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Storage down, or another host took the lease after it expired: say so; the next tick tries again.
                    LogRenewFailed(logger, row, ex.Status);
                }
            }
        }
    }

    /// <summary>The two leases: the tables (by prefix) and, on the persistent engine, the task hub.</summary>
    private IEnumerable<(string Row, string What)> Leases()
    {
        var prefix = storage.Value.TablePrefix;
        yield return ("tables-" + prefix, $"tables {prefix}*");
        if (engine.Value.Mode == DurableEngineMode.AzureStorage)
        {
            var hub = engine.Value.TaskHubName(configuration);
            yield return ("taskhub-" + hub, $"task hub {hub}");
        }
    }

    private async Task<ETag> AcquireAsync(string row, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _table!.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    return (await _table.AddEntityAsync(Row(row, what), cancellationToken).ConfigureAwait(false)).Headers.ETag!.Value;
                }

                var holder = existing.Value;
                if (IsLive(holder))
                {
                    throw new StorageLeaseHeldException(
                        $"Another dev host holds the {what} on this storage: process {holder.GetInt32("ProcessId")} on {holder.GetString("Machine")}, " +
                        $"started at {holder.GetDateTimeOffset("StartedAt"):O}, last seen {holder.GetDateTimeOffset("RenewedAt"):O}. Two hosts on the same " +
                        "tables or task hub take each other's work (activities run with the other's configuration, claims are ended as abandoned). " +
                        "Stop that host, or give this one its own: RollbackStorageOptions__TablePrefix and RollbackTaskHub, or another storage. " +
                        $"A lease not renewed for {ExpiresAfter.TotalSeconds:0} s is free. DevHost__AllowSharedStorage=true turns this check off.");
                }

                LogTakenOver(logger, what, holder.GetInt32("ProcessId") ?? 0, holder.GetString("Machine") ?? "?");
                return (await _table.UpdateEntityAsync(Row(row, what), holder.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)).Headers.ETag!.Value;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
            {
                // Another host took or renewed it between the read and the write: read again.
            }
        }
    }

    private bool IsLive(TableEntity holder)
    {
        if (holder.GetDateTimeOffset("RenewedAt") is not { } renewed || time.GetUtcNow() - renewed > ExpiresAfter)
        {
            return false;
        }

        if (!string.Equals(holder.GetString("Machine"), Environment.MachineName, StringComparison.Ordinal) || holder.GetInt32("ProcessId") is not { } pid)
        {
            return true;
        }

        // On this machine a process can be asked: a holder that is gone (or whose pid now names another process) is not live.
        try
        {
            using var process = Process.GetProcessById(pid);
            return holder.GetDateTimeOffset("ProcessStartedAt") is not { } started
                || Math.Abs((process.StartTime.ToUniversalTime() - started.UtcDateTime).TotalSeconds) < 1;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private TableEntity Row(string row, string what)
    {
        using var self = Process.GetCurrentProcess();
        return new TableEntity(Partition, row)
        {
            ["Holder"] = _holder,
            ["Lease"] = what,
            ["Machine"] = Environment.MachineName,
            ["ProcessId"] = Environment.ProcessId,
            ["ProcessStartedAt"] = new DateTimeOffset(self.StartTime.ToUniversalTime()),
            ["StartedAt"] = _started,
            ["RenewedAt"] = time.GetUtcNow(),
        };
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Took over the {Lease} lease of process {ProcessId} on {Machine}: it is gone or stopped renewing")]
    private static partial void LogTakenOver(ILogger logger, string lease, int processId, string machine);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Could not renew the dev host lease {Row} (status {Status}); retrying")]
    private static partial void LogRenewFailed(ILogger logger, string row, int status);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Could not release the dev host lease {Row} (status {Status}); it expires on its own")]
    private static partial void LogReleaseFailed(ILogger logger, string row, int status);
}

/// <summary>Another live dev host holds this host's tables or task hub: the host does not start.</summary>
internal sealed class StorageLeaseHeldException(string message) : Exception(message);
