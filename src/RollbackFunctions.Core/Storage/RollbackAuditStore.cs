using Azure.Data.Tables;
using RollbackFunctions.Notifications;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Storage;

/// <summary>
/// The audit trail (section 10). Partition = rollback id; row "rollback" is the summary, rows "step-NNNN" the
/// timeline, rows "joined-..." the triggers that joined it, rows "late-..." the triggers refused in the cooldown after
/// it succeeded (API.md "Trust rules") and "late-escalation" the one escalation they caused, rows "notification-..."
/// the lifecycle notifications that could not be delivered. Every write is an upsert on a deterministic key, so an
/// activity replayed after a crash rewrites the same rows and never adds one. An index table lists rollbacks
/// newest first, per component and overall; its rows carry the phase and R of an ended rollback, so a summary of
/// recent recovery times is one query per component. Drills (<see cref="AuditTrail.Drills"/>) are recorded the same
/// way in tables of their own.
/// </summary>
public sealed class RollbackAuditStore
{
    private const string SummaryRow = "rollback";
    private const string StepPrefix = "step-";
    private const string JoinedPrefix = "joined-";
    private const string LatePrefix = "late-trigger-";
    private const string LateEscalationRow = "late-escalation";
    private const string NotificationPrefix = "notification-";
    private const string AllComponents = "_all";

    // Names the rows were first written with: a trigger's id is "TriggerId", not "TriggerTriggerId", and an
    // escalation's time is "EscalatedAt".
    private static readonly Dictionary<string, string> TriggerNames = new(StringComparer.Ordinal) { ["Trigger.TriggerId"] = "TriggerId" };

    internal static readonly TableRow<RollbackRecord> SummaryRows = new(["RollbackId"], new Dictionary<string, string>(TriggerNames, StringComparer.Ordinal)
    {
        ["Escalation.At"] = "EscalatedAt",
    });

    internal static readonly TableRow<RollbackStep> StepRows = new(["RollbackId", "Sequence"]);
    internal static readonly TableRow<JoinedTrigger> JoinedRows = new(["RollbackId"], TriggerNames);
    internal static readonly TableRow<LateTrigger> LateRows = new(["RollbackId"], TriggerNames);
    internal static readonly TableRow<RollbackBrief> IndexRows = new();
    internal static readonly TableRow<NotificationFailure> FailureRows = new(["AuditId"]);

    private readonly RollbackTables _tables;
    private readonly AuditTrail _trail;
    private RollbackAuditStore? _drills;

    public RollbackAuditStore(RollbackTables tables)
        : this(tables, AuditTrail.Rollbacks)
    {
    }

    private RollbackAuditStore(RollbackTables tables, AuditTrail trail)
    {
        _tables = tables;
        _trail = trail;
    }

    /// <summary>The same audit over the drills' tables.</summary>
    public RollbackAuditStore Drills => _trail == AuditTrail.Drills ? this : _drills ??= new RollbackAuditStore(_tables, AuditTrail.Drills);

    /// <summary>The store of <paramref name="trail"/>.</summary>
    public RollbackAuditStore Of(AuditTrail trail) => trail == AuditTrail.Drills ? Drills : this;

    public async Task UpsertRollbackAsync(RollbackRecord rollback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(rollback), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

        await WriteIndexAsync(rollback, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteStepAsync(RollbackStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(step), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The summary (when given) and steps of one rollback as upserts in one partition transaction (all rows or none;
    /// batches of 100), and the index rows beside it. Replaying it rewrites the same rows.
    /// </summary>
    public async Task RecordAsync(RollbackRecord? rollback, IReadOnlyList<RollbackStep> steps, bool writeIndex = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        var actions = steps.Select(step => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(step))).ToList();
        if (rollback is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(rollback)));
        }

        if (actions.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw new ArgumentException("Steps and summary must belong to one rollback.", nameof(steps));
        }

        var writes = actions.Chunk(100).Select(chunk => table.SubmitTransactionAsync(chunk, cancellationToken)).Cast<Task>().ToList();
        // The index row is written when the rollback is first recorded and again at its end, with the end's phase and R.
        if (rollback is not null && (writeIndex || rollback.Phase.IsTerminal()))
        {
            writes.Add(WriteIndexAsync(rollback, cancellationToken));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    /// <summary>The audit an activity was handed (nothing when null): every activity writes it before what it changes.</summary>
    public Task RecordAsync(RecordAuditInput? audit, CancellationToken cancellationToken = default) => audit is null
        ? Task.CompletedTask
        : Of(audit.Trail).RecordAsync(audit.Summary, audit.Steps ?? [], audit.WriteIndex, cancellationToken);

    /// <summary>
    /// The one rule of the workflow's audit: an activity writes the audit it was handed before anything it changes,
    /// and beside work that changes nothing (reads, probes). A failed write fails the activity, which is retried whole.
    /// </summary>
    /// <param name="readsOnly">The work only reads: the write need not come first.</param>
    public async Task<T> RecordWithAsync<T>(RecordAuditInput? audit, bool readsOnly, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!readsOnly)
        {
            await RecordAsync(audit).ConfigureAwait(false);
            return await work().ConfigureAwait(false);
        }

        var written = RecordAsync(audit);
        var result = work();
        await Task.WhenAll(written, result).ConfigureAwait(false);
        return await result.ConfigureAwait(false);
    }

    private async Task WriteIndexAsync(RollbackRecord rollback, CancellationToken cancellationToken)
    {
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        var row = TableKeys.InvertedTicks(rollback.StartedAt) + "-" + rollback.RollbackId;
        var brief = new RollbackBrief(rollback.RollbackId, rollback.Component, rollback.Phase, rollback.StartedAt, rollback.EndedAt, rollback.RecoverySeconds);
        await Task.WhenAll(new[] { rollback.Component, AllComponents }.Select(partition => index.UpsertEntityAsync(
            IndexRows.Write(brief, partition, row),
            TableUpdateMode.Replace,
            cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>
    /// The newest rollbacks of a component in brief, newest first: one query of the index; only a rollback whose index
    /// row does not say it ended (in flight, or indexed before rows carried the end) is read from its summary.
    /// </summary>
    public async Task<IReadOnlyList<RollbackBrief>> ListBriefsAsync(string component, int limit, CancellationToken cancellationToken = default)
    {
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        var briefs = new List<Task<RollbackBrief?>>();
        await foreach (var e in index.QueryAsync<TableEntity>(x => x.PartitionKey == component, maxPerPage: Math.Clamp(limit, 1, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var id = e.GetString("RollbackId");
            briefs.Add(Enum.TryParse<RollbackPhase>(e.GetString("Phase"), out var phase) && phase.IsTerminal()
                ? Task.FromResult<RollbackBrief?>(new RollbackBrief(id, component, phase, e.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("EndedAt"), e.GetDouble("RecoverySeconds")))
                : BriefFromSummaryAsync(id, cancellationToken));
            if (briefs.Count >= limit)
            {
                break;
            }
        }

        return [.. (await Task.WhenAll(briefs).ConfigureAwait(false)).OfType<RollbackBrief>()];
    }

    private async Task<RollbackBrief?> BriefFromSummaryAsync(string rollbackId, CancellationToken cancellationToken) =>
        await GetRollbackAsync(rollbackId, cancellationToken).ConfigureAwait(false) is { } r
            ? new RollbackBrief(r.RollbackId, r.Component, r.Phase, r.StartedAt, r.EndedAt, r.RecoverySeconds)
            : null;

    private Task<TableClient> AuditTableAsync(CancellationToken cancellationToken) =>
        _trail == AuditTrail.Drills ? _tables.DrillsAsync(cancellationToken) : _tables.RollbacksAsync(cancellationToken);

    private Task<TableClient> IndexTableAsync(CancellationToken cancellationToken) =>
        _trail == AuditTrail.Drills ? _tables.DrillIndexAsync(cancellationToken) : _tables.RollbackIndexAsync(cancellationToken);

    private static TableEntity ToEntity(RollbackStep step) =>
        StepRows.Write(step, step.RollbackId, StepPrefix + step.Sequence.ToString("D4", CultureInfo.InvariantCulture));

    public async Task RecordJoinedTriggerAsync(JoinedTrigger joined, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(joined);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(joined.RollbackId, joined.Trigger), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The joined triggers of one rollback as upserts in one partition transaction per 100 (all rows of a chunk or
    /// none). Triggers must be distinct; rewriting the same trigger rewrites the same row.
    /// </summary>
    public async Task RecordJoinedTriggersAsync(string rollbackId, IReadOnlyList<RollbackTrigger> triggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        if (triggers.Count == 0)
        {
            return;
        }

        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        if (triggers.Count == 1)
        {
            await table.UpsertEntityAsync(ToEntity(rollbackId, triggers[0]), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(triggers.Chunk(100).Select(chunk => table.SubmitTransactionAsync(
            chunk.Select(t => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(rollbackId, t))),
            cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Writes the joined-trigger row only if it is missing (a join whose audit write failed after its binding): an existing row is left as it was.</summary>
    public async Task EnsureJoinedTriggerAsync(JoinedTrigger joined, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(joined);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(joined.RollbackId, joined.Trigger), cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            // Recorded when it joined.
        }
    }

    private static TableEntity ToEntity(string rollbackId, RollbackTrigger trigger) =>
        JoinedRows.Write(new JoinedTrigger(rollbackId, trigger), rollbackId, JoinedPrefix + TableKeys.Hash(trigger.Source + "/" + trigger.TriggerId));

    public async Task<RollbackRecord?> GetRollbackAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(rollbackId, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is not null ? FromEntity(response.Value) : null;
    }

    /// <summary>The summary, the timeline in order and the joined triggers in arrival order.</summary>
    public async Task<(RollbackRecord? Rollback, IReadOnlyList<RollbackStep> Steps, IReadOnlyList<JoinedTrigger> Joined)> GetTimelineAsync(
        string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        RollbackRecord? rollback = null;
        var steps = new List<RollbackStep>();
        var joined = new List<JoinedTrigger>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == rollbackId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.RowKey == SummaryRow)
            {
                rollback = FromEntity(e);
            }
            else if (e.RowKey.StartsWith(StepPrefix, StringComparison.Ordinal))
            {
                steps.Add(StepRows.Read(e, rollbackId, int.Parse(e.RowKey.AsSpan(StepPrefix.Length), CultureInfo.InvariantCulture)));
            }
            else if (e.RowKey.StartsWith(JoinedPrefix, StringComparison.Ordinal))
            {
                joined.Add(JoinedRows.Read(e, rollbackId));
            }
        }

        return (rollback, steps.OrderBy(s => s.Sequence).ToList(), joined.OrderBy(j => j.Trigger.ReceivedAt).ToList());
    }

    /// <summary>Rollbacks newest first, of one component or of all.</summary>
    public async Task<IReadOnlyList<RollbackRecord>> ListAsync(string? component, int limit, CancellationToken cancellationToken = default)
    {
        var index = await IndexTableAsync(cancellationToken).ConfigureAwait(false);
        var partition = component ?? AllComponents;
        var ids = new List<string>();
        await foreach (var e in index.QueryAsync<TableEntity>(x => x.PartitionKey == partition, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ids.Add(e.GetString("RollbackId"));
            if (ids.Count >= limit)
            {
                break;
            }
        }

        var rollbacks = await Task.WhenAll(ids.Select(id => GetRollbackAsync(id, cancellationToken))).ConfigureAwait(false);
        return [.. rollbacks.OfType<RollbackRecord>()];
    }

    private static TableEntity ToEntity(RollbackRecord r) => SummaryRows.Write(r, r.RollbackId, SummaryRow);

    private static RollbackRecord FromEntity(TableEntity e) => SummaryRows.Read(e, e.PartitionKey);

    /// <summary>Records a trigger refused in the cooldown after this rollback succeeded; a repeat of it leaves the first row.</summary>
    public async Task RecordLateTriggerAsync(LateTrigger late, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(late);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = LateRows.Write(late, late.RollbackId, LatePrefix + TableKeys.Hash(late.Trigger.Source + "/" + late.Trigger.TriggerId));
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            // A redelivery of a trigger already recorded as late.
        }
    }

    /// <summary>The late triggers of one rollback, in arrival order.</summary>
    public async Task<IReadOnlyList<LateTrigger>> ListLateTriggersAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        var late = new List<LateTrigger>();
        const string after = LatePrefix + "~";
        await foreach (var e in table.QueryAsync<TableEntity>(
            x => x.PartitionKey == rollbackId && x.RowKey.CompareTo(LatePrefix) >= 0 && x.RowKey.CompareTo(after) < 0, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // A row without a reason reads as an empty one, not as null.
            var row = LateRows.Read(e, rollbackId);
            late.Add(row with { Reason = row.Reason ?? "" });
        }

        return [.. late.OrderBy(l => l.Trigger.ReceivedAt)];
    }

    /// <summary>
    /// A notification delivery that still failed after its retries, in the audit of <see cref="NotificationFailure.AuditId"/>
    /// (a rollback's or drill's id): one row per key and channel, so a replay rewrites it.
    /// </summary>
    public async Task RecordNotificationFailureAsync(NotificationFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var table = await _tables.RollbacksAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            FailureRows.Write(failure, SafeKey(failure.AuditId), NotificationPrefix + TableKeys.Hash(failure.IdempotencyKey + "/" + failure.Channel)),
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The undelivered notifications recorded for one rollback (or drill), oldest first.</summary>
    public async Task<IReadOnlyList<NotificationFailure>> ListNotificationFailuresAsync(string auditId, CancellationToken cancellationToken = default)
    {
        var failures = await RowsAsync(SafeKey(auditId), NotificationPrefix, e => FailureRows.Read(e, auditId), cancellationToken).ConfigureAwait(false);
        return [.. failures.OrderBy(f => f.At)];
    }

    private async Task<List<T>> RowsAsync<T>(string partition, string prefix, Func<TableEntity, T> read, CancellationToken cancellationToken)
    {
        var table = await _tables.RollbacksAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        var after = prefix + "~";
        await foreach (var e in table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && x.RowKey.CompareTo(prefix) >= 0 && x.RowKey.CompareTo(after) < 0, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(e));
        }

        return rows;
    }

    /// <summary>Audit ids from other features are ours to trust, but a key Table Storage refuses must not lose the record.</summary>
    private static string SafeKey(string key) => new([.. key.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c)]);

    /// <summary>Insert-if-absent: true for the one caller that is to escalate the late triggers of this rollback.</summary>
    public async Task<bool> TryClaimLateEscalationAsync(string rollbackId, string triggerId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(rollbackId, LateEscalationRow) { ["TriggerId"] = triggerId, ["ClaimedAt"] = at }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The claimed escalation was delivered (or no incident webhook is configured): when, and for which trigger.</summary>
    public async Task RecordLateEscalationAsync(string rollbackId, IncidentDeliveryResult delivery, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpdateEntityAsync(
            new TableEntity(rollbackId, LateEscalationRow) { ["EscalatedAt"] = at, ["Delivered"] = delivery.Delivered, ["Error"] = delivery.Error },
            Azure.ETag.All,
            TableUpdateMode.Merge,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The escalation the late triggers of a succeeded rollback raised ("still unhealthy after rollback ..."), if any.</summary>
    public async Task<LateEscalation?> GetLateEscalationAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(rollbackId, LateEscalationRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetDateTimeOffset("EscalatedAt") is { } at
            ? new LateEscalation(row.Value.GetString("TriggerId") ?? "", at, row.Value.GetBoolean("Delivered") ?? false, row.Value.GetString("Error"))
            : null;
    }

    /// <summary>Gives the escalation back after a failed delivery, so the next late trigger tries again.</summary>
    public async Task ReleaseLateEscalationAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        var table = await AuditTableAsync(cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(rollbackId, LateEscalationRow, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
    }
}
