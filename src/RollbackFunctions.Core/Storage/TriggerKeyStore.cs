using Azure;
using Azure.Data.Tables;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Storage;

/// <summary>
/// Maps a trigger's own identity (alert id, event id, correlation id) to at most one rollback: the first insert wins
/// and every repeat reads the winner's rollback id.
/// </summary>
public sealed class TriggerKeyStore(RollbackTables tables, TimeProvider time)
{
    /// <summary>Binds the trigger to <paramref name="rollbackId"/>, or returns the rollback it was already bound to.</summary>
    public async Task<string> BindAsync(TriggerSource source, string triggerId, string rollbackId, string component, CancellationToken cancellationToken = default)
    {
        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(source.ToString(), TableKeys.Hash(triggerId))
        {
            ["TriggerId"] = triggerId,
            ["RollbackId"] = rollbackId,
            ["Component"] = component,
            ["BoundAt"] = time.GetUtcNow(),
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return rollbackId;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await FindAsync(source, triggerId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Trigger key {source}/{triggerId} conflicted but could not be read.", ex);
        }
    }

    public async Task<string?> FindAsync(TriggerSource source, string triggerId, CancellationToken cancellationToken = default)
    {
        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(source.ToString(), TableKeys.Hash(triggerId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is not null ? response.Value.GetString("RollbackId") : null;
    }

    /// <summary>Undoes a binding whose rollback could not be started, so a retry of the same trigger can start it.</summary>
    public async Task UnbindAsync(TriggerSource source, string triggerId, string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await tables.TriggerKeysAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(source.ToString(), TableKeys.Hash(triggerId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.HasValue && response.Value is { } entity && entity.GetString("RollbackId") == rollbackId)
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken).ConfigureAwait(false);
        }
    }
}
