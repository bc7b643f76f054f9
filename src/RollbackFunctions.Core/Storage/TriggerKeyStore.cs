using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Storage;

/// <summary>A trigger's binding: the rollback it belongs to, and whether it joined that rollback (rather than started it).</summary>
/// <param name="Inserted">This call wrote the binding (it did not exist before).</param>
public sealed record TriggerBinding(string RollbackId, bool Joined, bool Inserted);

/// <summary>
/// Maps a trigger (component, source, id: API.md "Trigger identity is per component") to at most one rollback: the
/// first insert wins and every repeat reads the winner's rollback id. Partition = component, row = source and the hash
/// of the trigger id, so the same alert id for two components is two triggers, and every binding of one component can
/// be written in one transaction.
/// </summary>
public sealed class TriggerKeyStore(RollbackTables tables, TimeProvider time)
{
    /// <summary>Table Storage's limit of operations in one entity group transaction.</summary>
    public const int MaxTransactionSize = 100;

    private const int MaxBindAttempts = 3;

    /// <summary>Binds the trigger to <paramref name="rollbackId"/>, or returns the rollback it was already bound to.</summary>
    public async Task<string> BindAsync(string component, TriggerSource source, string triggerId, string rollbackId, CancellationToken cancellationToken = default) =>
        (await BindOneAsync(component, source, triggerId, rollbackId, joined: false, cancellationToken).ConfigureAwait(false)).RollbackId;

    /// <summary>
    /// Binds every trigger id of one component and source to <paramref name="rollbackId"/> as joined triggers:
    /// insert-first, all of them in one transaction. A conflict (some id already bound) falls back to one insert each,
    /// so every id gets either its new binding or the one that was there before. Ids must be distinct.
    /// </summary>
    public async Task<IReadOnlyList<TriggerBinding>> BindJoinedAsync(
        string component, TriggerSource source, IReadOnlyList<string> triggerIds, string rollbackId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triggerIds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(triggerIds.Count, MaxTransactionSize, nameof(triggerIds));
        if (triggerIds.Count <= 1)
        {
            return [.. await Task.WhenAll(triggerIds.Select(id => BindOneAsync(component, source, id, rollbackId, joined: true, cancellationToken))).ConfigureAwait(false)];
        }

        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        var actions = triggerIds.Select(id => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(component, source, id, rollbackId, joined: true))).ToList();
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return [.. triggerIds.Select(_ => new TriggerBinding(rollbackId, Joined: true, Inserted: true))];
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // All or nothing: the transaction wrote none of them. Find out one by one which were bound before.
            return await Task.WhenAll(triggerIds.Select(id => BindOneAsync(component, source, id, rollbackId, joined: true, cancellationToken))).ConfigureAwait(false);
        }
    }

    public async Task<string?> FindAsync(string component, TriggerSource source, string triggerId, CancellationToken cancellationToken = default) =>
        (await FindBindingAsync(component, source, triggerId, cancellationToken).ConfigureAwait(false))?.RollbackId;

    public async Task<TriggerBinding?> FindBindingAsync(string component, TriggerSource source, string triggerId, CancellationToken cancellationToken = default)
    {
        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(component, RowKey(source, triggerId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity
            ? new TriggerBinding(entity.GetString("RollbackId"), entity.GetBoolean("Joined") == true, Inserted: false)
            : null;
    }

    /// <summary>Undoes a binding whose rollback could not be started, so a retry of the same trigger can start it.</summary>
    public async Task UnbindAsync(string component, TriggerSource source, string triggerId, string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(component, RowKey(source, triggerId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.HasValue && response.Value is { } entity && entity.GetString("RollbackId") == rollbackId)
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TriggerBinding> BindOneAsync(string component, TriggerSource source, string triggerId, string rollbackId, bool joined, CancellationToken cancellationToken)
    {
        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await table.AddEntityAsync(ToEntity(component, source, triggerId, rollbackId, joined), cancellationToken).ConfigureAwait(false);
                return new TriggerBinding(rollbackId, joined, Inserted: true);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                if (await FindBindingAsync(component, source, triggerId, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }

                // The winner was unbound (its rollback could not be scheduled) between our insert and our read: try again.
                if (attempt >= MaxBindAttempts)
                {
                    throw new InvalidOperationException($"Trigger key {component}/{source}/{triggerId} conflicted but could not be read.", ex);
                }
            }
        }
    }

    private static string RowKey(TriggerSource source, string triggerId) => source + "-" + TableKeys.Hash(triggerId);

    private TableEntity ToEntity(string component, TriggerSource source, string triggerId, string rollbackId, bool joined) =>
        new(component, RowKey(source, triggerId))
        {
            ["Source"] = source.ToString(),
            ["TriggerId"] = triggerId,
            ["RollbackId"] = rollbackId,
            ["Joined"] = joined,
            ["BoundAt"] = time.GetUtcNow(),
        };
}
