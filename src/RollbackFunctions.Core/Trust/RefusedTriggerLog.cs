using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Trust;

/// <summary>
/// Refused triggers per component, in the Signals table under a partition of their own (partition
/// <c>refused|{component}</c>, row = hash of source and trigger id). The first refusal of a trigger stands: a
/// redelivery finds it and is answered the same, even after the cooldown that refused it has passed.
/// </summary>
public sealed class RefusedTriggerLog(RollbackTables tables)
{
    /// <summary>How many refused triggers the component view shows.</summary>
    public const int Shown = 20;

    private const string PartitionPrefix = "refused|";

    internal static readonly TableRow<RefusedTrigger> Rows = new(["Component"]);

    /// <summary>Insert-if-absent; returns the record that stands (the earlier one on a redelivery).</summary>
    public async Task<RefusedTrigger> RecordAsync(RefusedTrigger refused, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(refused), cancellationToken).ConfigureAwait(false);
            return refused;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await FindAsync(refused.Component, refused.Source, refused.TriggerId, cancellationToken).ConfigureAwait(false) ?? refused;
        }
    }

    public async Task<RefusedTrigger?> FindAsync(string component, TriggerSource source, string triggerId, CancellationToken cancellationToken = default)
    {
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionPrefix + component, RowKey(source, triggerId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromEntity(component, row.Value) : null;
    }

    /// <summary>The most recent refusals first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RefusedTrigger>> ListAsync(string component, int limit = Shown, CancellationToken cancellationToken = default)
    {
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        var partition = PartitionPrefix + component;
        var refused = new List<RefusedTrigger>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            refused.Add(FromEntity(component, e));
        }

        return [.. refused.OrderByDescending(r => r.At).Take(limit)];
    }

    private static string RowKey(TriggerSource source, string triggerId) => TableKeys.Hash(source + "/" + triggerId);

    private static TableEntity ToEntity(RefusedTrigger r) => Rows.Write(r, PartitionPrefix + r.Component, RowKey(r.Source, r.TriggerId));

    private static RefusedTrigger FromEntity(string component, TableEntity e)
    {
        // A row without a reason reads as an empty one, not as null.
        var refused = Rows.Read(e, component);
        return refused with { Reason = refused.Reason ?? "" };
    }
}
