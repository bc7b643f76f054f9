using Azure.Data.Tables;
using RollbackFunctions.Domain;
using RollbackFunctions.Notifications;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Trust;

namespace RollbackFunctions.Tests.Storage;

public sealed class TableRowTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static readonly RollbackTrigger Trigger = new(
        TriggerReason.HealthDegraded, TriggerSource.AzureMonitorAlert, "alert-7", At, "monitor", "p99 over 2 s", At.AddMinutes(-2));

    private static readonly RollbackRecord Full = new(
        "rb-1", "checkout", Trigger, "1.4.0", "1.5.0", "1.4.0", "registry.example.test/checkout@sha256:aa", RollbackPhase.Failed,
        At, At.AddMinutes(15), 900, "github", "dep-9", At.AddMinutes(4), 240.5, At.AddMinutes(5), "ops", "confirmed it", At.AddMinutes(6),
        "verification failed", new EscalationRecord(At.AddMinutes(7), true, 2, "first try timed out"), At.AddMinutes(8), "lead", "enough",
        "00000000-0000-0000-0000-000000000042");

    private static readonly RollbackRecord Bare = new(
        "rb-2", "cart", Trigger with { Details = null, ObservedAt = null }, null, null, null, null, RollbackPhase.Received, At, At.AddMinutes(15), 900);

    [Fact]
    public void Rollback_summary_is_written_with_exactly_the_columns_rows_have_always_had()
    {
        // Listed from the hand-written mapping this replaced: rows in a persistent Azurite still carry these names.
        string[] columns =
        [
            "Component", "RequestedTargetVersion", "FromVersion", "TargetVersion", "TargetArtifact", "Phase", "StartedAt", "Deadline",
            "BudgetSeconds", "Provider", "DeploymentId", "VerifiedAt", "RecoverySeconds", "ConfirmedAt", "ConfirmedBy", "ConfirmedByObjectId",
            "ConfirmationNote", "EndedAt", "OutcomeReason", "EscalatedAt", "EscalationDelivered", "EscalationAttempts", "EscalationError",
            "AbortedAt", "AbortedBy", "AbortReason", "TriggerReason", "TriggerSource", "TriggerId", "TriggerReceivedAt", "TriggerRequestedBy",
            "TriggerDetails", "TriggerObservedAt",
        ];

        var entity = RollbackAuditStore.SummaryRows.Write(Full, "rb-1", "rollback");

        Assert.Equal(columns.Order(StringComparer.Ordinal), RollbackAuditStore.SummaryRows.Columns.Order(StringComparer.Ordinal));
        Assert.Equal(columns.Order(StringComparer.Ordinal), Written(entity));
        Assert.Equal(("rb-1", "rollback"), (entity.PartitionKey, entity.RowKey));
    }

    [Fact]
    public void Rollback_summary_round_trips_with_its_trigger_and_escalation_flattened()
    {
        var entity = RollbackAuditStore.SummaryRows.Write(Full, "rb-1", "rollback");

        Assert.Equal("Failed", entity["Phase"]);
        Assert.Equal("HealthDegraded", entity["TriggerReason"]);
        Assert.Equal("AzureMonitorAlert", entity["TriggerSource"]);
        Assert.Equal("alert-7", entity["TriggerId"]);
        Assert.Equal(At.AddMinutes(7), entity["EscalatedAt"]);
        Assert.Equal(true, entity["EscalationDelivered"]);
        Assert.Equal(2, entity["EscalationAttempts"]);
        Assert.Equal(Full, RollbackAuditStore.SummaryRows.Read(entity, entity.PartitionKey));
    }

    [Fact]
    public void Rollback_summary_round_trips_its_nulls_and_writes_them_so_a_replace_clears_them()
    {
        var entity = RollbackAuditStore.SummaryRows.Write(Bare, "rb-2", "rollback");

        foreach (var column in new[] { "RequestedTargetVersion", "Provider", "VerifiedAt", "RecoverySeconds", "EscalatedAt", "EscalationDelivered", "EscalationAttempts", "EscalationError", "TriggerDetails", "TriggerObservedAt" })
        {
            Assert.True(entity.ContainsKey(column), column);
            Assert.Null(entity[column]);
        }

        var read = RollbackAuditStore.SummaryRows.Read(entity, "rb-2");
        Assert.Equal(Bare, read);
        Assert.Null(read.Escalation);
    }

    [Fact]
    public void Missing_columns_read_as_the_defaults_the_hand_mapping_gave()
    {
        var entity = new TableEntity("rb-3", "rollback")
        {
            ["Phase"] = "Deploying",
            ["TriggerReason"] = "SmokeTestsFailed",
            ["TriggerSource"] = "Pipeline",
        };

        var read = RollbackAuditStore.SummaryRows.Read(entity, entity.PartitionKey);

        Assert.Equal("rb-3", read.RollbackId);
        Assert.Null(read.Component);
        Assert.Equal(RollbackPhase.Deploying, read.Phase);
        Assert.Equal(DateTimeOffset.MinValue, read.StartedAt);
        Assert.Equal(DateTimeOffset.MinValue, read.Deadline);
        Assert.Equal(0, read.BudgetSeconds);
        Assert.Null(read.RecoverySeconds);
        Assert.Null(read.VerifiedAt);
        Assert.Null(read.Escalation);
        Assert.Equal(DateTimeOffset.MinValue, read.Trigger.ReceivedAt);
        Assert.Null(read.Trigger.TriggerId);
        Assert.Null(read.Trigger.ObservedAt);

        // The escalation is there when its time is; what else it had defaults.
        entity["EscalatedAt"] = At;
        Assert.Equal(new EscalationRecord(At, false, 0, null), RollbackAuditStore.SummaryRows.Read(entity, entity.PartitionKey).Escalation);
    }

    [Fact]
    public void A_missing_enum_that_cannot_be_null_fails_as_it_always_did()
    {
        var entity = new TableEntity("rb-4", "rollback") { ["TriggerReason"] = "SmokeTestsFailed", ["TriggerSource"] = "Pipeline" };

        Assert.Throws<ArgumentNullException>(() => RollbackAuditStore.SummaryRows.Read(entity, entity.PartitionKey));
    }

    [Fact]
    public void Steps_keep_their_sequence_in_the_row_key_only()
    {
        var step = new RollbackStep("rb-1", 7, "deploy", RollbackPhase.Deploying, StepStatus.Passed, At, null);

        var entity = RollbackAuditStore.StepRows.Write(step, step.RollbackId, "step-0007");

        Assert.Equal(["At", "Detail", "Name", "Phase", "Status"], Written(entity));
        Assert.Equal("Passed", entity["Status"]);
        Assert.Equal(step, RollbackAuditStore.StepRows.Read(entity, "rb-1", 7));
    }

    [Fact]
    public void Joined_and_late_triggers_carry_only_the_trigger_columns_and_the_reason()
    {
        string[] trigger = ["TriggerDetails", "TriggerId", "TriggerObservedAt", "TriggerReason", "TriggerReceivedAt", "TriggerRequestedBy", "TriggerSource"];
        var joined = new JoinedTrigger("rb-1", Trigger);
        var late = new LateTrigger("rb-1", Trigger, "in cooldown");

        var joinedRow = RollbackAuditStore.JoinedRows.Write(joined, "rb-1", "joined-x");
        var lateRow = RollbackAuditStore.LateRows.Write(late, "rb-1", "late-trigger-x");

        Assert.Equal(trigger, Written(joinedRow));
        Assert.Equal([.. trigger.Append("Reason").Order(StringComparer.Ordinal)], Written(lateRow));
        Assert.Equal(joined, RollbackAuditStore.JoinedRows.Read(joinedRow, "rb-1"));
        Assert.Equal(late, RollbackAuditStore.LateRows.Read(lateRow, "rb-1"));
    }

    [Fact]
    public void Index_rows_and_notification_failures_keep_their_columns()
    {
        var brief = new RollbackBrief("rb-1", "checkout", RollbackPhase.Succeeded, At, At.AddMinutes(3), 180);
        var failure = new NotificationFailure("drill/1", "key-1", LifecycleEvent.Started, "teams", 3, "502", At);

        var index = RollbackAuditStore.IndexRows.Write(brief, "checkout", "row");
        var failed = RollbackAuditStore.FailureRows.Write(failure, "drill_1", "notification-x");

        Assert.Equal(["Component", "EndedAt", "Phase", "RecoverySeconds", "RollbackId", "StartedAt"], Written(index));
        Assert.Equal(["At", "Attempts", "Channel", "Error", "Event", "IdempotencyKey"], Written(failed));
        Assert.Equal("Started", failed["Event"]);
        Assert.Equal(brief, RollbackAuditStore.IndexRows.Read(index));
        Assert.Equal(failure, RollbackAuditStore.FailureRows.Read(failed, "drill/1"));
    }

    [Fact]
    public void Releases_round_trip_with_component_and_version_in_the_keys()
    {
        var release = new ReleaseRecord("shop", "1.0.0", "registry.example.test/shop@sha256:11", ReleaseStatus.RolledBack, "7", "abc", At, At.AddHours(1),
            "rb-1", At.AddHours(1), true, "rollback active", At.AddHours(2));

        var entity = ReleaseLedger.Rows.Write(release, "shop", "1.0.0");

        Assert.Equal(
            ["Artifact", "Commit", "DeployedWhileGateClosed", "GateClosedEscalatedAt", "GateClosedReason", "RecordedAt", "RolledBackAt", "RolledBackBy", "SchemaVersion", "Status", "UpdatedAt"],
            Written(entity));
        Assert.Equal("RolledBack", entity["Status"]);
        Assert.Equal(release, ReleaseLedger.Rows.Read(entity, entity.PartitionKey, entity.RowKey));

        var bare = new TableEntity("shop", "2.0.0") { ["Artifact"] = "a", ["Status"] = "Deployed" };
        Assert.Equal(
            new ReleaseRecord("shop", "2.0.0", "a", ReleaseStatus.Deployed, null, null, DateTimeOffset.MinValue, DateTimeOffset.MinValue),
            ReleaseLedger.Rows.Read(bare, bare.PartitionKey, bare.RowKey));
    }

    [Fact]
    public void Refused_triggers_round_trip_with_the_component_given_by_the_caller()
    {
        var refused = new RefusedTrigger("checkout", AdmissionOutcome.Cooldown, TriggerSource.EventGrid, "evt-1", null, "cooldown", "rb-1", At);

        var entity = RefusedTriggerLog.Rows.Write(refused, "refused|checkout", "hash");

        Assert.Equal(["At", "ObservedAt", "Outcome", "Reason", "RollbackId", "Source", "TriggerId"], Written(entity));
        Assert.Equal("Cooldown", entity["Outcome"]);
        Assert.Null(entity["ObservedAt"]);
        Assert.Equal(refused, RefusedTriggerLog.Rows.Read(entity, "checkout"));
    }

    [Fact]
    public void Names_and_keys_that_match_no_parameter_are_refused_when_the_mapping_is_built()
    {
        Assert.Throws<ArgumentException>(() => new TableRow<RollbackStep>(["RollbackID"]));
        Assert.Throws<ArgumentException>(() => new TableRow<JoinedTrigger>(names: new Dictionary<string, string> { ["Trigger.Id"] = "TriggerId" }));
    }

    [Fact]
    public void Reading_with_the_wrong_number_of_key_values_is_refused()
    {
        var entity = RollbackAuditStore.StepRows.Write(new RollbackStep("rb-1", 1, "deploy", RollbackPhase.Deploying, StepStatus.Started, At, null), "rb-1", "step-0001");

        Assert.Throws<ArgumentException>(() => RollbackAuditStore.StepRows.Read(entity, "rb-1"));
    }

    [Fact]
    public void A_type_is_read_once_whichever_mapping_asks()
    {
        Assert.Same(RecordShape.Of(typeof(RollbackTrigger)), RecordShape.Of(typeof(RollbackTrigger)));
    }

    [Fact]
    public async Task A_replace_in_storage_clears_an_escalation_that_is_gone_and_the_row_reads_back()
    {
        var table = await Azurite.CreateTables().RollbacksAsync();

        await table.UpsertEntityAsync(RollbackAuditStore.SummaryRows.Write(Full, "rb-1", "rollback"), TableUpdateMode.Replace);
        Assert.Equal(Full, RollbackAuditStore.SummaryRows.Read((await table.GetEntityAsync<TableEntity>("rb-1", "rollback")).Value, "rb-1"));

        var cleared = Full with { Escalation = null, Trigger = Trigger with { ObservedAt = null } };
        await table.UpsertEntityAsync(RollbackAuditStore.SummaryRows.Write(cleared, "rb-1", "rollback"), TableUpdateMode.Replace);
        var stored = (await table.GetEntityAsync<TableEntity>("rb-1", "rollback")).Value;

        Assert.False(stored.ContainsKey("EscalatedAt"));
        Assert.Equal(cleared, RollbackAuditStore.SummaryRows.Read(stored, "rb-1"));
    }

    [Fact]
    public async Task A_stored_late_or_refused_trigger_without_a_reason_reads_with_an_empty_one()
    {
        var tables = Azurite.CreateTables();
        var late = RollbackAuditStore.LateRows.Write(new LateTrigger("rb-1", Trigger, "in cooldown"), "rb-1", "late-trigger-x");
        late.Remove("Reason");
        await (await tables.RollbacksAsync()).AddEntityAsync(late);
        var refused = RefusedTriggerLog.Rows.Write(
            new RefusedTrigger("checkout", AdmissionOutcome.Stale, TriggerSource.AzureMonitorAlert, "alert-7", At, "stale", null, At), "refused|checkout", "x");
        refused.Remove("Reason");
        await (await tables.SignalsAsync()).AddEntityAsync(refused);

        Assert.Equal("", Assert.Single(await new RollbackAuditStore(tables).ListLateTriggersAsync("rb-1")).Reason);
        Assert.Equal("", Assert.Single(await new RefusedTriggerLog(tables).ListAsync("checkout")).Reason);
    }

    /// <summary>The columns an entity sets, sorted, without the keys and the service's own properties.</summary>
    private static string[] Written(TableEntity entity) =>
        [.. entity.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Order(StringComparer.Ordinal)];
}
