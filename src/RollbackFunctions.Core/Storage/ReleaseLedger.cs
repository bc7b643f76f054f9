using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Storage;

public enum ReleaseWriteOutcome
{
    Created,
    Updated,
    Unchanged,

    /// <summary>The version exists with another artifact: versions are immutable.</summary>
    ArtifactConflict,

    /// <summary>The status would move backwards (a Failed release cannot become Verified again).</summary>
    StatusConflict,

    /// <summary>
    /// The version is <see cref="ReleaseStatus.RolledBack"/>: a rollback moved away from it, so it is known bad and
    /// cannot become Verified again (API.md "Trust rules"; the intake answers <c>409</c>). The record carries the
    /// rollback id (<see cref="ReleaseRecord.RolledBackBy"/>) for the answer's "why".
    /// </summary>
    RolledBackConflict,

    /// <summary>
    /// The status asked for is <see cref="ReleaseStatus.RolledBack"/>: only a rollback sets it
    /// (<see cref="ReleaseLedger.MarkRolledBackAsync"/>), never a pipeline's record. Nothing was written.
    /// </summary>
    StatusNotRecordable,
}

public sealed record ReleaseWriteResult(ReleaseWriteOutcome Outcome, ReleaseRecord Release);

public enum ReleaseMarkOutcome
{
    /// <summary>The version is now RolledBack with this rollback's id.</summary>
    Marked,

    /// <summary>It was RolledBack already (by this rollback or an earlier one): nothing changed, the first mark stands.</summary>
    AlreadyMarked,

    /// <summary>The ledger has no such version: there is nothing to mark.</summary>
    UnknownVersion,
}

/// <param name="Release">The record as it is now; null for <see cref="ReleaseMarkOutcome.UnknownVersion"/>.</param>
public sealed record ReleaseMarkResult(ReleaseMarkOutcome Outcome, ReleaseRecord? Release);

/// <summary>
/// Each component's releases: partition = component, row = version. Insert-if-absent keeps versions immutable;
/// status moves only forward (Deployed, then Verified or Failed; Verified may still become Failed). RolledBack is
/// final: set by <see cref="MarkRolledBackAsync"/> whatever the status was, never left again (a later Deployed or
/// Failed record of that version changes nothing, Verified is refused).
/// </summary>
public sealed class ReleaseLedger(RollbackTables tables, TimeProvider time)
{
    internal static readonly TableRow<ReleaseRecord> Rows = new(["Component", "Version"]);

    public async Task<ReleaseWriteResult> RecordAsync(
        string component, string version, string artifact, ReleaseStatus status, string? schemaVersion, string? commit,
        CancellationToken cancellationToken = default)
    {
        if (status == ReleaseStatus.RolledBack)
        {
            var existing = await GetAsync(component, version, cancellationToken).ConfigureAwait(false);
            var refusedAt = time.GetUtcNow();
            return new ReleaseWriteResult(
                ReleaseWriteOutcome.StatusNotRecordable,
                existing ?? new ReleaseRecord(component, version, artifact, status, schemaVersion, commit, refusedAt, refusedAt));
        }

        var table = await tables.ReleasesAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(component, version, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue || existing.Value is null)
            {
                var release = new ReleaseRecord(component, version, artifact, status, schemaVersion, commit, now, now);
                try
                {
                    await table.AddEntityAsync(ToEntity(release), cancellationToken).ConfigureAwait(false);
                    return new ReleaseWriteResult(ReleaseWriteOutcome.Created, release);
                }
                catch (RequestFailedException ex) when (ex.Status == 409 && attempt < 3)
                {
                    continue;
                }
            }

            var entity = existing.Value!;
            var current = FromEntity(entity);
            if (!string.Equals(current.Artifact, artifact, StringComparison.Ordinal)
                || (schemaVersion is not null && current.SchemaVersion is not null && !string.Equals(current.SchemaVersion, schemaVersion, StringComparison.Ordinal)))
            {
                return new ReleaseWriteResult(ReleaseWriteOutcome.ArtifactConflict, current);
            }

            if (current.Status == ReleaseStatus.RolledBack)
            {
                // Known bad stays known bad: a redeployment or a failure report is about the same bad version and
                // erases nothing; only a claim that it is healthy is refused.
                return new ReleaseWriteResult(
                    status == ReleaseStatus.Verified ? ReleaseWriteOutcome.RolledBackConflict : ReleaseWriteOutcome.Unchanged, current);
            }

            if (current.Status == status || (current.Status == ReleaseStatus.Verified && status == ReleaseStatus.Deployed))
            {
                // A redeployment of a verified release does not make it unverified; a repeat is a no-op.
                return new ReleaseWriteResult(ReleaseWriteOutcome.Unchanged, current);
            }

            if (current.Status == ReleaseStatus.Failed)
            {
                return new ReleaseWriteResult(ReleaseWriteOutcome.StatusConflict, current);
            }

            var updated = current with { Status = status, UpdatedAt = now, SchemaVersion = current.SchemaVersion ?? schemaVersion, Commit = current.Commit ?? commit };
            try
            {
                await table.UpdateEntityAsync(ToEntity(updated), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new ReleaseWriteResult(ReleaseWriteOutcome.Updated, updated);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                // Someone else moved it meanwhile: read again and decide again.
            }
        }
    }

    /// <summary>
    /// A rollback away from <paramref name="version"/> was pinned: the version becomes RolledBack with
    /// <paramref name="rollbackId"/>, whatever its status and whatever the rollback's outcome. Artifact, commit and
    /// schema stay as recorded. Idempotent: a version already RolledBack keeps its first mark.
    /// </summary>
    public async Task<ReleaseMarkResult> MarkRolledBackAsync(string component, string version, string rollbackId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rollbackId);

        // A pipeline may move it meanwhile (say to Verified): the update reads again and RolledBack still wins.
        var (changed, release) = await UpdateAsync(component, version, current => current.Status == ReleaseStatus.RolledBack
            ? null
            : Marked(current, rollbackId, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return new ReleaseMarkResult(
            release is null ? ReleaseMarkOutcome.UnknownVersion : changed ? ReleaseMarkOutcome.Marked : ReleaseMarkOutcome.AlreadyMarked, release);
    }

    private static ReleaseRecord Marked(ReleaseRecord current, string rollbackId, DateTimeOffset now) =>
        current with { Status = ReleaseStatus.RolledBack, UpdatedAt = now, RolledBackBy = rollbackId, RolledBackAt = now };

    /// <summary>
    /// The version was recorded Deployed while the component's gate was closed: flag it with why (once; the first
    /// reason stands). Null when the ledger has no such version.
    /// </summary>
    public async Task<ReleaseRecord?> FlagDeployedWhileGateClosedAsync(string component, string version, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var (_, release) = await UpdateAsync(component, version, current => current.DeployedWhileGateClosed
            ? null
            : current with { DeployedWhileGateClosed = true, GateClosedReason = reason, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        return release;
    }

    /// <summary>The escalation of a gate-closed deployment was delivered: later redeliveries and retries do not escalate again.</summary>
    public async Task<ReleaseRecord?> MarkGateClosedEscalatedAsync(string component, string version, CancellationToken cancellationToken = default)
    {
        var (_, release) = await UpdateAsync(component, version, current => current.GateClosedEscalatedAt is not null
            ? null
            : current with { GateClosedEscalatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        return release;
    }

    /// <summary>
    /// Reads the version, lets <paramref name="change"/> decide the next record (null: leave it), writes it
    /// conditionally and decides again on a lost race. Returns whether it changed and the record as it is now (null
    /// when the ledger has no such version).
    /// </summary>
    private async Task<(bool Changed, ReleaseRecord? Release)> UpdateAsync(
        string component, string version, Func<ReleaseRecord, ReleaseRecord?> change, CancellationToken cancellationToken)
    {
        var table = await tables.ReleasesAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(component, version, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue || existing.Value is null)
            {
                return (false, null);
            }

            var current = FromEntity(existing.Value);
            if (change(current) is not { } next)
            {
                return (false, current);
            }

            try
            {
                await table.UpdateEntityAsync(ToEntity(next), existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return (true, next);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 5)
            {
                // Someone else wrote it meanwhile: read again and decide again.
            }
        }
    }

    public async Task<ReleaseRecord?> GetAsync(string component, string version, CancellationToken cancellationToken = default)
    {
        var table = await tables.ReleasesAsync(cancellationToken).ConfigureAwait(false);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(component, version, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue && entity.Value is not null ? FromEntity(entity.Value) : null;
    }

    /// <summary>The component's releases, newest first (by when they were first recorded).</summary>
    public async Task<IReadOnlyList<ReleaseRecord>> ListAsync(string component, CancellationToken cancellationToken = default)
    {
        var table = await tables.ReleasesAsync(cancellationToken).ConfigureAwait(false);
        var releases = new List<ReleaseRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == component, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            releases.Add(FromEntity(entity));
        }

        return [.. releases.OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Version, StringComparer.Ordinal)];
    }

    private static TableEntity ToEntity(ReleaseRecord release) => Rows.Write(release, release.Component, release.Version);

    private static ReleaseRecord FromEntity(TableEntity entity) => Rows.Read(entity, entity.PartitionKey, entity.RowKey);
}
