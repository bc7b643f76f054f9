using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>
/// Start-or-join under a burst (section 6): concurrent calls for one component are written in batches (one state read,
/// one transaction of trigger keys, one of joined rows) and still give one rollback, one binding per trigger and one
/// joined row per joined trigger; a failed batch write leaves nothing that blocks a retry.
/// </summary>
public sealed class RollbackJoinBatchTests
{
    private const string Active = "shop-active";

    [Fact]
    public async Task Section6_a_burst_of_40_distinct_triggers_starts_one_rollback_and_every_other_trigger_joins_it_once()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        var ids = Enumerable.Range(0, 40).Select(i => $"burst-{i:D2}").ToList();

        var results = await Task.WhenAll(ids.Select(id => Task.Run(() => h.TriggerAsync(triggerId: id))));

        var started = Assert.Single(results, r => r.Outcome == StartRollbackOutcome.Started);
        var rollbackId = started.RollbackId!;
        Assert.Equal(39, results.Count(r => r.Outcome == StartRollbackOutcome.Joined));
        Assert.All(results, r => Assert.Equal(rollbackId, r.RollbackId));
        var instances = new List<string>();
        await foreach (var instance in h.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            instances.Add(instance.InstanceId);
        }

        Assert.Equal([rollbackId], instances);
        foreach (var id in ids)
        {
            Assert.Equal(rollbackId, await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, id));
        }

        var startedBy = ids[Array.IndexOf(results, started)];
        var (_, _, joined) = await h.Audit.GetTimelineAsync(rollbackId);
        Assert.Equal(ids.Where(id => id != startedBy).Order(StringComparer.Ordinal), joined.Select(j => j.Trigger.TriggerId).Order(StringComparer.Ordinal));
        Assert.Equal(rollbackId, (await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);
    }

    [Fact]
    public async Task Section6_a_burst_mixing_already_bound_triggers_answers_them_as_repeats_of_their_own_rollback_and_records_only_new_joins()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.ClaimRunningAsync(Active);
        Assert.Equal("shop-older", await h.TriggerKeys.BindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "started-older", "shop-older"));
        var earlier = await h.TriggerAsync(triggerId: "joined-earlier");
        Assert.Equal((StartRollbackOutcome.Joined, Active), (earlier.Outcome, earlier.RollbackId));
        var fresh = Enumerable.Range(0, 20).Select(i => $"fresh-{i:D2}").ToList();
        var calls = fresh.Concat(Enumerable.Repeat("started-older", 3)).Concat(Enumerable.Repeat("joined-earlier", 3)).OrderBy(id => id.GetHashCode(StringComparison.Ordinal)).ToList();

        var results = await Task.WhenAll(calls.Select(id => Task.Run(async () => (Id: id, Result: await h.TriggerAsync(triggerId: id)))));

        Assert.All(results.Where(r => r.Id.StartsWith("fresh-", StringComparison.Ordinal)), r => Assert.Equal((StartRollbackOutcome.Joined, Active), (r.Result.Outcome, r.Result.RollbackId)));
        Assert.All(results.Where(r => r.Id == "started-older"), r => Assert.Equal((StartRollbackOutcome.Duplicate, "shop-older"), (r.Result.Outcome, r.Result.RollbackId)));
        Assert.All(results.Where(r => r.Id == "joined-earlier"), r => Assert.Equal((StartRollbackOutcome.Duplicate, Active), (r.Result.Outcome, r.Result.RollbackId)));
        var (_, _, joined) = await h.Audit.GetTimelineAsync(Active);
        Assert.Equal(fresh.Append("joined-earlier").Order(StringComparer.Ordinal), joined.Select(j => j.Trigger.TriggerId).Order(StringComparer.Ordinal));
        Assert.Empty((await h.Audit.GetTimelineAsync("shop-older")).Joined);
        Assert.Equal("shop-older", await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "started-older"));
    }

    [Fact]
    public async Task Section6_a_transaction_of_trigger_keys_with_one_already_bound_binds_the_others_and_keeps_the_existing_binding()
    {
        var store = new TriggerKeyStore(Azurite.CreateTables(), TimeProvider.System);
        Assert.Equal("shop-older", await store.BindAsync("shop", TriggerSource.AzureMonitorAlert, "alerts/b", "shop-older"));

        var bound = await store.BindJoinedAsync("shop", TriggerSource.AzureMonitorAlert, ["alerts/a", "alerts/b", "alerts/c#?/"], Active);

        Assert.Equal(
            [new TriggerBinding(Active, true, true), new TriggerBinding("shop-older", false, false), new TriggerBinding(Active, true, true)],
            bound);
        Assert.Equal(Active, await store.FindAsync("shop", TriggerSource.AzureMonitorAlert, "alerts/c#?/"));
        Assert.Equal(new TriggerBinding(Active, true, false), await store.FindBindingAsync("shop", TriggerSource.AzureMonitorAlert, "alerts/a"));
    }

    [Fact]
    public async Task Section6_when_the_joined_rows_cannot_be_written_every_caller_gets_the_error_and_its_retry_records_the_join_once()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.ClaimRunningAsync(Active);
        var rollbacksTable = await DropAsync(h, "Rollbacks", touch: () => h.Audit.GetRollbackAsync(Active));
        var ids = Enumerable.Range(0, 10).Select(i => $"lost-{i}").ToList();

        var failed = await Task.WhenAll(ids.Select(id => Task.Run(() => CaptureAsync(h.TriggerAsync(triggerId: id)))));

        Assert.All(failed, f => Assert.IsType<RequestFailedException>(f, exactMatch: false));
        await rollbacksTable.CreateIfNotExistsAsync();
        var retried = await Task.WhenAll(ids.Select(id => Task.Run(() => h.TriggerAsync(triggerId: id))));

        Assert.All(retried, r => Assert.Equal(Active, r.RollbackId));
        var (_, _, joined) = await h.Audit.GetTimelineAsync(Active);
        Assert.Equal(ids.Order(StringComparer.Ordinal), joined.Select(j => j.Trigger.TriggerId).Order(StringComparer.Ordinal));
        Assert.Equal(Active, (await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);
    }

    [Fact]
    public async Task Section6_when_the_trigger_keys_cannot_be_written_nothing_is_recorded_and_a_retry_joins()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.ClaimRunningAsync(Active);
        var keysTable = await DropAsync(h, "TriggerKeys", touch: () => h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "warm"));
        var ids = Enumerable.Range(0, 10).Select(i => $"unbound-{i}").ToList();

        var failed = await Task.WhenAll(ids.Select(id => Task.Run(() => CaptureAsync(h.TriggerAsync(triggerId: id)))));

        Assert.All(failed, f => Assert.IsType<RequestFailedException>(f, exactMatch: false));
        Assert.Empty((await h.Audit.GetTimelineAsync(Active)).Joined);
        await keysTable.CreateIfNotExistsAsync();
        var retried = await Task.WhenAll(ids.Select(id => Task.Run(() => h.TriggerAsync(triggerId: id))));

        Assert.All(retried, r => Assert.Equal((StartRollbackOutcome.Joined, Active), (r.Outcome, r.RollbackId)));
        var (_, _, joined) = await h.Audit.GetTimelineAsync(Active);
        Assert.Equal(ids.Order(StringComparer.Ordinal), joined.Select(j => j.Trigger.TriggerId).Order(StringComparer.Ordinal));
    }

    /// <summary>Deletes one of the harness's tables after its first use, so the starter's next write to it fails for real.</summary>
    internal static async Task<TableClient> DropAsync(WorkflowHarness h, string logicalName, Func<Task> touch)
    {
        await touch();
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(h.Services.GetRequiredService<RollbackTables>().TableName(logicalName));
        await table.DeleteAsync();
        return table;
    }

    internal static async Task<Exception?> CaptureAsync<T>(Task<T> call)
    {
        try
        {
            await call;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
