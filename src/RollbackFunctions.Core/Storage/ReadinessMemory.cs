using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Storage;

/// <summary>The last readiness the scheduled check saw of each component (partition = component, row "last").</summary>
public sealed class ReadinessMemory(RollbackTables tables)
{
    private const string Row = "last";

    public sealed record Remembered(string Component, bool Ready, string? Reason, DateTimeOffset Since, ETag ETag);

    public async Task<IReadOnlyDictionary<string, Remembered>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.ReadinessAsync(cancellationToken).ConfigureAwait(false);
        var all = new Dictionary<string, Remembered>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.RowKey == Row, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all[e.PartitionKey] = new Remembered(e.PartitionKey, e.GetBoolean("Ready") ?? false, e.GetString("Reason"), e.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue, e.ETag);
        }

        return all;
    }

    /// <summary>Remembers the new readiness if nobody changed it since <paramref name="etag"/> (null: if nothing is remembered yet).</summary>
    public async Task<bool> TryRememberAsync(string component, bool ready, string? reason, DateTimeOffset since, ETag? etag, CancellationToken cancellationToken)
    {
        var table = await tables.ReadinessAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(component, Row) { ["Ready"] = ready, ["Reason"] = reason, ["Since"] = since };
        try
        {
            if (etag is { } known)
            {
                await table.UpdateEntityAsync(entity, known, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
