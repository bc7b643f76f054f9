using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Storage;

public enum ClaimOutcome
{
    /// <summary>This rollback is now the component's one active rollback.</summary>
    Claimed,

    /// <summary>Another rollback is active: the caller joins it.</summary>
    AlreadyActive,

    /// <summary>The component is frozen after a failed rollback: nothing starts until an operator unfreezes it.</summary>
    Frozen,
}

public sealed record ClaimResult(ClaimOutcome Outcome, ComponentState State);

public enum UnfreezeOutcome
{
    Unfrozen,
    NotFrozen,
}

/// <summary>
/// One entity a component (row "state"). Every change is a conditional write (insert-if-absent or ETag replace),
/// never a read-then-blind-write, so two instances racing on one component cannot both win.
/// </summary>
public sealed class ComponentStateStore(RollbackTables tables, TimeProvider time)
{
    private const string StateRow = "state";
    private const int MaxAttempts = 20;
    private static readonly JsonSerializerOptions ClaimJson = new(JsonSerializerDefaults.Web);

    public async Task<ComponentState> GetAsync(string component, CancellationToken cancellationToken = default)
    {
        var (state, _) = await ReadAsync(component, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>
    /// Makes <paramref name="rollbackId"/> the active rollback unless the component is frozen or busy. The claim is not
    /// yet scheduled (<see cref="ComponentState.ActiveScheduledAt"/> is null) until <see cref="MarkScheduledAsync"/>.
    /// </summary>
    /// <param name="request">The orchestration input the claim is for, kept on it for the reconciler.</param>
    public Task<ClaimResult> TryClaimAsync(string component, string rollbackId, RollbackRequest? request = null, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state =>
        {
            if (state.IsFrozen)
            {
                return (null, new ClaimResult(ClaimOutcome.Frozen, state));
            }

            if (state.ActiveRollbackId is not null)
            {
                var outcome = state.ActiveRollbackId == rollbackId ? ClaimOutcome.Claimed : ClaimOutcome.AlreadyActive;
                return (null, new ClaimResult(outcome, state));
            }

            var claimed = state with { ActiveRollbackId = rollbackId, ActiveSince = time.GetUtcNow(), ActiveScheduledAt = null, ActiveRequest = request };
            return (claimed, new ClaimResult(ClaimOutcome.Claimed, claimed));
        }, cancellationToken);

    /// <summary>
    /// Replaces the unscheduled claim of <paramref name="abandonedId"/> (its orchestration never came to be) with a new
    /// unscheduled claim of <paramref name="rollbackId"/>. False when the claim changed meanwhile.
    /// </summary>
    public Task<bool> TakeOverClaimAsync(string component, string abandonedId, string rollbackId, RollbackRequest request, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state => state.ActiveRollbackId == abandonedId && state.ActiveScheduledAt is null && !state.IsFrozen
            ? (state with { ActiveRollbackId = rollbackId, ActiveSince = time.GetUtcNow(), ActiveRequest = request }, true)
            : (null, false), cancellationToken);

    /// <summary>The claim's orchestration exists: from now on triggers join it. False when the claim is no longer this rollback's.</summary>
    public Task<bool> MarkScheduledAsync(string component, string rollbackId, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state => state.ActiveRollbackId != rollbackId
            ? (null, false)
            : state.ActiveScheduledAt is not null ? (null, true) : (state with { ActiveScheduledAt = time.GetUtcNow() }, true), cancellationToken);

    /// <summary>Gives the claim back when the rollback could not be scheduled, so a failing dependency blocks nothing.</summary>
    public Task<bool> ReleaseClaimAsync(string component, string rollbackId, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state => state.ActiveRollbackId == rollbackId
            ? (WithoutClaim(state), true)
            : (null, false), cancellationToken);

    /// <summary>The state of every component that has one, by name, in one query (readiness reads them all at once).</summary>
    public async Task<IReadOnlyDictionary<string, ComponentState>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.ComponentsAsync(cancellationToken).ConfigureAwait(false);
        var states = new Dictionary<string, ComponentState>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.RowKey == StateRow, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            states[entity.PartitionKey] = FromEntity(entity);
        }

        return states;
    }

    /// <summary>Every component that has an active rollback now (the reconciler's work list).</summary>
    public async IAsyncEnumerable<ComponentState> ListClaimedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.ComponentsAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.RowKey == StateRow, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (FromEntity(entity) is { ActiveRollbackId: not null } state)
            {
                yield return state;
            }
        }
    }

    /// <summary>
    /// The rollback restored <paramref name="version"/>: it is current and known good; the claim ends. Only while the
    /// claim is still this rollback's: a success replayed after the claim ended (a later deployment or rollback may
    /// have moved the versions on since) changes nothing.
    /// </summary>
    public Task<ComponentState> CompleteSucceededAsync(string component, string rollbackId, string version, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state =>
        {
            if (state.ActiveRollbackId != rollbackId)
            {
                return (null, state);
            }

            var next = WithoutClaim(state) with { CurrentVersion = version, LastKnownGoodVersion = version };
            return (next, next);
        }, cancellationToken);

    /// <summary>
    /// Section 11: a rollback that did not succeed freezes the component; the claim ends. A freeze replayed after an
    /// operator lifted this rollback's freeze is not laid again: the analysis it asked for was given.
    /// </summary>
    /// <param name="runningVersion">
    /// The version the rollback deployed and verified, which runs now although the rollback did not succeed (it was not
    /// confirmed in its window, or an operator aborted it while it waited): it becomes current, not known good. Only
    /// while the claim is still this rollback's, as for a success.
    /// </param>
    public Task<ComponentState> FreezeAsync(
        string component, string? rollbackId, string reason, string? runningVersion = null, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state =>
        {
            var next = runningVersion is not null && rollbackId is not null && state.ActiveRollbackId == rollbackId
                ? state with { CurrentVersion = runningVersion }
                : state;
            var liftedAlready = rollbackId is not null && state.LastUnfreeze?.RollbackId == rollbackId;
            if (!liftedAlready && (state.Freeze is null || (rollbackId is not null && state.Freeze.RollbackId != rollbackId)))
            {
                next = next with { Freeze = new ComponentFreeze(reason, rollbackId, time.GetUtcNow()) };
            }

            if (rollbackId is not null && state.ActiveRollbackId == rollbackId)
            {
                next = WithoutClaim(next);
            }

            return (next == state ? null : next, next);
        }, cancellationToken);

    public Task<(UnfreezeOutcome Outcome, ComponentState State)> UnfreezeAsync(
        string component, string operatorName, string incidentRef, string analysis, string? operatorObjectId = null, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state =>
        {
            if (state.Freeze is null)
            {
                return (null, (UnfreezeOutcome.NotFrozen, state));
            }

            var next = state with
            {
                Freeze = null,
                LastUnfreeze = new ComponentUnfreeze(operatorName, incidentRef, analysis, time.GetUtcNow(), state.Freeze.RollbackId, operatorObjectId),
            };
            return (next, (UnfreezeOutcome.Unfrozen, next));
        }, cancellationToken);

    /// <summary>A pipeline recorded a deployment (and maybe its verification) of <paramref name="version"/>.</summary>
    public Task<ComponentState> RecordDeployedVersionAsync(string component, string version, bool verified, CancellationToken cancellationToken = default) =>
        MutateAsync(component, state =>
        {
            var next = state with
            {
                CurrentVersion = version,
                LastKnownGoodVersion = verified ? version : state.LastKnownGoodVersion,
            };
            return (next == state ? null : next, next);
        }, cancellationToken);

    /// <summary>The component with no active rollback: every field of the claim goes together.</summary>
    private static ComponentState WithoutClaim(ComponentState state) =>
        state with { ActiveRollbackId = null, ActiveSince = null, ActiveScheduledAt = null, ActiveRequest = null };

    /// <summary>Reads, lets <paramref name="decide"/> choose the next state (null: leave as is), writes it conditionally, and retries on a lost race.</summary>
    private async Task<TResult> MutateAsync<TResult>(
        string component, Func<ComponentState, (ComponentState? Next, TResult Result)> decide, CancellationToken cancellationToken)
    {
        var table = await tables.ComponentsAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var (state, etag) = await ReadAsync(component, cancellationToken).ConfigureAwait(false);
            var (next, result) = decide(state);
            if (next is null)
            {
                return result;
            }

            try
            {
                if (etag is null)
                {
                    await table.AddEntityAsync(ToEntity(next), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.UpdateEntityAsync(ToEntity(next), etag.Value, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return result;
            }
            catch (RequestFailedException ex) when ((ex.Status == 409 || ex.Status == 412) && attempt < MaxAttempts)
            {
                // Lost the race: decide again on what the winner wrote.
            }
        }
    }

    private async Task<(ComponentState State, ETag? ETag)> ReadAsync(string component, CancellationToken cancellationToken)
    {
        var table = await tables.ComponentsAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(component, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is not null
            ? (FromEntity(response.Value), response.Value.ETag)
            : (ComponentState.Empty(component), null);
    }

    private static TableEntity ToEntity(ComponentState state) => new(state.Component, StateRow)
    {
        ["CurrentVersion"] = state.CurrentVersion,
        ["LastKnownGoodVersion"] = state.LastKnownGoodVersion,
        ["ActiveRollbackId"] = state.ActiveRollbackId,
        ["ActiveSince"] = state.ActiveSince,

        // A claim's own fields live only as long as the claim: an end that clears the claim drops them too.
        ["ActiveScheduledAt"] = state.ActiveRollbackId is null ? null : state.ActiveScheduledAt,
        ["ActiveRequest"] = state.ActiveRollbackId is null || state.ActiveRequest is null ? null : JsonSerializer.Serialize(state.ActiveRequest, ClaimJson),
        ["Frozen"] = state.Freeze is not null,
        ["FrozenReason"] = state.Freeze?.Reason,
        ["FrozenByRollbackId"] = state.Freeze?.RollbackId,
        ["FrozenAt"] = state.Freeze?.FrozenAt,
        ["UnfrozenBy"] = state.LastUnfreeze?.Operator,
        ["UnfrozenByObjectId"] = state.LastUnfreeze?.OperatorObjectId,
        ["UnfreezeIncidentRef"] = state.LastUnfreeze?.IncidentRef,
        ["UnfreezeAnalysis"] = state.LastUnfreeze?.Analysis,
        ["UnfrozenAt"] = state.LastUnfreeze?.UnfrozenAt,
        ["UnfrozenRollbackId"] = state.LastUnfreeze?.RollbackId,
    };

    private static ComponentState FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("CurrentVersion"),
        e.GetString("LastKnownGoodVersion"),
        e.GetString("ActiveRollbackId"),
        e.GetDateTimeOffset("ActiveSince"),
        e.GetBoolean("Frozen") == true
            ? new ComponentFreeze(e.GetString("FrozenReason") ?? "frozen", e.GetString("FrozenByRollbackId"), e.GetDateTimeOffset("FrozenAt") ?? DateTimeOffset.MinValue)
            : null,
        e.GetString("UnfrozenBy") is { } by
            ? new ComponentUnfreeze(by, e.GetString("UnfreezeIncidentRef") ?? "", e.GetString("UnfreezeAnalysis") ?? "", e.GetDateTimeOffset("UnfrozenAt") ?? DateTimeOffset.MinValue, e.GetString("UnfrozenRollbackId"), e.GetString("UnfrozenByObjectId"))
            : null,
        e.GetString("ActiveRollbackId") is null ? null : e.GetDateTimeOffset("ActiveScheduledAt"),
        e.GetString("ActiveRollbackId") is null || e.GetString("ActiveRequest") is not { } request ? null : JsonSerializer.Deserialize<RollbackRequest>(request, ClaimJson));
}
