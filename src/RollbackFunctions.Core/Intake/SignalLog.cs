using Azure.Data.Tables;

namespace RollbackFunctions.Intake;

/// <summary>One recorded signal: something intake received and kept without starting a rollback, or an operator action.</summary>
public sealed record SignalRecord(string Component, string Kind, string Key, DateTimeOffset At, IReadOnlyDictionary<string, string?> Fields);

/// <summary>
/// The Signals table: resolved alerts, health states that start nothing, unfreeze records, and the ids of applied
/// events. Partition = component; row = kind + hash of the signal's own key, so a redelivery rewrites its row.
/// </summary>
public sealed class SignalLog(RollbackTables tables, TimeProvider time)
{
    public const string ResolvedAlert = "alert-resolved";
    public const string HealthState = "health-state";
    public const string Unfreeze = "unfreeze";

    /// <summary>Partition of resources that are mapped to no component (Health Resources events are subscription-wide).</summary>
    public const string Unmapped = "_unmapped";

    private const string AppliedEvents = "_applied-events";

    public async Task RecordAsync(string component, string kind, string key, IReadOnlyDictionary<string, string?> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(component, kind + "-" + TableKeys.Hash(key))
        {
            ["Kind"] = kind,
            ["Key"] = key,
            ["At"] = time.GetUtcNow(),
        };
        foreach (var (name, value) in fields)
        {
            entity["F_" + name] = value;
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SignalRecord>> ListAsync(string component, CancellationToken cancellationToken)
    {
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        var signals = new List<SignalRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == component, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var fields = e.Keys.Where(k => k.StartsWith("F_", StringComparison.Ordinal))
                .ToDictionary(k => k[2..], k => (string?)e.GetString(k), StringComparer.Ordinal);
            signals.Add(new SignalRecord(e.PartitionKey, e.GetString("Kind"), e.GetString("Key"), e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, fields));
        }

        return [.. signals.OrderByDescending(s => s.At)];
    }

    /// <summary>
    /// Whether this event was applied before for <paramref name="component"/> (Event Grid delivers at least once). An
    /// event is a trigger of its component (API.md "Trust rules"): the same id for another component is another event.
    /// </summary>
    public async Task<bool> WasEventAppliedAsync(string? component, string eventId, CancellationToken cancellationToken)
    {
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(AppliedEvents, AppliedEventRow(component, eventId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    /// <summary>Written after the event's effect, so a failure in between makes the redelivery apply it again (every effect is idempotent).</summary>
    public async Task MarkEventAppliedAsync(string eventId, string eventType, string? component, CancellationToken cancellationToken)
    {
        var table = await tables.SignalsAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(AppliedEvents, AppliedEventRow(component, eventId))
            {
                ["EventId"] = eventId,
                ["EventType"] = eventType,
                ["Component"] = component,
                ["AppliedAt"] = time.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Component and id, hashed together: a row key holds neither's characters, and no pair can pose as another.</summary>
    private static string AppliedEventRow(string? component, string eventId) => TableKeys.Hash((component ?? Unmapped) + "\n" + eventId);
}
