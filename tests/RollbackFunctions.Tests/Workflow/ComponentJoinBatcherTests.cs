using Azure;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>
/// The join path's group commit on its own (section 6), on Azurite and the in-process engine. A batch is made
/// deterministic by holding the component's turn: the one call told "idle" keeps it, every call made meanwhile waits,
/// and they all land in the batch that runs when the turn is given back.
/// </summary>
public sealed class ComponentJoinBatcherTests
{
    private const string Active = "shop-active";

    [Fact]
    public async Task Section6_calls_made_while_one_call_holds_the_idle_turn_wait_and_then_all_join_the_rollback_it_started_once()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        using var lead = await joins.JoinAsync(Command("lead"), CancellationToken.None);
        Assert.Null(lead.Answer);
        Assert.Null(lead.State.ActiveRollbackId);
        var ids = Enumerable.Range(0, 30).Select(i => $"waiting-{i:D2}").ToList();

        var waiting = ids.Select(id => joins.JoinAsync(Command(id), CancellationToken.None)).ToList();
        await Task.Delay(200);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        await h.ClaimRunningAsync(Active);
        lead.Dispose();
        var joined = await Task.WhenAll(waiting);

        Assert.All(joined, j => Assert.Equal((StartRollbackOutcome.Joined, Active), (j.Answer!.Outcome, j.Answer.RollbackId)));
        foreach (var id in ids)
        {
            Assert.Equal(new TriggerBinding(Active, true, false), await h.TriggerKeys.FindBindingAsync(WorkflowHarness.Component, TriggerSource.Pipeline, id));
        }

        Assert.Equal(ids, await JoinedIdsAsync(h, Active));
    }

    [Fact]
    public async Task Section6_a_batch_mixing_already_bound_triggers_answers_them_as_repeats_of_their_own_rollback_and_records_only_new_joins()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        Assert.Equal("shop-older", await h.TriggerKeys.BindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "started-older", "shop-older"));
        using var lead = await joins.JoinAsync(Command("lead"), CancellationToken.None);
        var calls = new[] { "fresh-1", "started-older", "fresh-2", "fresh-3" }.Select(id => (Id: id, Join: joins.JoinAsync(Command(id), CancellationToken.None))).ToList();
        await h.ClaimRunningAsync(Active);
        lead.Dispose();

        var answers = new Dictionary<string, StartRollbackResult>();
        foreach (var (id, join) in calls)
        {
            answers[id] = (await join).Answer!;
        }

        Assert.Equal((StartRollbackOutcome.Duplicate, "shop-older"), (answers["started-older"].Outcome, answers["started-older"].RollbackId));
        Assert.All(["fresh-1", "fresh-2", "fresh-3"], id => Assert.Equal((StartRollbackOutcome.Joined, Active), (answers[id].Outcome, answers[id].RollbackId)));
        Assert.Equal(["fresh-1", "fresh-2", "fresh-3"], await JoinedIdsAsync(h, Active));
        Assert.Empty((await h.Audit.GetTimelineAsync("shop-older")).Joined);
        Assert.Equal(new TriggerBinding("shop-older", false, false), await h.TriggerKeys.FindBindingAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "started-older"));
    }

    [Fact]
    public async Task Section6_the_same_trigger_twice_in_one_batch_joins_once_and_the_second_is_a_duplicate_of_that_rollback()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        using var lead = await joins.JoinAsync(Command("lead"), CancellationToken.None);
        var calls = new[] { "twice", "other", "twice" }.Select(id => joins.JoinAsync(Command(id), CancellationToken.None)).ToList();
        await h.ClaimRunningAsync(Active);
        lead.Dispose();

        var answers = (await Task.WhenAll(calls)).Select(j => (j.Answer!.Outcome, j.Answer.RollbackId)).ToList();

        Assert.Equal([(StartRollbackOutcome.Joined, Active), (StartRollbackOutcome.Joined, Active), (StartRollbackOutcome.Duplicate, Active)], answers);
        Assert.Equal(["other", "twice"], await JoinedIdsAsync(h, Active));
    }

    [Fact]
    public async Task Section6_a_failing_joined_row_write_answers_every_caller_of_the_batch_with_the_error_and_a_retry_records_the_join_once()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        using var lead = await joins.JoinAsync(Command("lead"), CancellationToken.None);
        var ids = Enumerable.Range(0, 12).Select(i => $"lost-{i:D2}").ToList();
        var calls = ids.Select(id => RollbackJoinBatchTests.CaptureAsync(joins.JoinAsync(Command(id), CancellationToken.None))).ToList();
        await h.ClaimRunningAsync(Active);
        var rollbacks = await RollbackJoinBatchTests.DropAsync(h, "Rollbacks", touch: () => h.Audit.GetRollbackAsync(Active));
        lead.Dispose();

        var failed = await Task.WhenAll(calls);

        Assert.All(failed, f => Assert.IsType<RequestFailedException>(f, exactMatch: false));
        foreach (var id in ids)
        {
            Assert.Equal(Active, await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, id));
        }

        await rollbacks.CreateIfNotExistsAsync();
        var retried = await Task.WhenAll(ids.Select(id => joins.JoinAsync(Command(id), CancellationToken.None)));
        var again = await Task.WhenAll(ids.Select(id => joins.JoinAsync(Command(id), CancellationToken.None)));

        Assert.All(retried.Concat(again), r => Assert.Equal((StartRollbackOutcome.Duplicate, Active), (r.Answer!.Outcome, r.Answer.RollbackId)));
        Assert.Equal(ids, await JoinedIdsAsync(h, Active));
    }

    [Fact]
    public async Task Section6_join_batches_whose_writes_overlap_bind_each_trigger_once_and_answer_every_other_delivery_as_its_duplicate()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        await h.ClaimRunningAsync(Active);
        var ids = Enumerable.Range(0, 40).Select(i => $"overlap-{i:D2}").ToList();

        // Waves a few milliseconds apart, each repeating ids of the others: batches are taken while earlier ones still write.
        var calls = new List<(string Id, Task<ComponentJoin> Join)>();
        for (var wave = 0; wave < 6; wave++)
        {
            calls.AddRange(ids.Where((_, i) => (i + wave) % 3 != 0).Select(id => (id, joins.JoinAsync(Command(id), CancellationToken.None))));
            await Task.Delay(3);
        }

        var answers = new List<(string Id, StartRollbackResult Answer)>();
        foreach (var (id, join) in calls)
        {
            using var joined = await join;
            answers.Add((id, joined.Answer!));
        }

        Assert.All(answers, a => Assert.Equal(Active, a.Answer.RollbackId));
        Assert.All(answers.GroupBy(a => a.Id), deliveries => Assert.Equal(
            [StartRollbackOutcome.Joined, .. Enumerable.Repeat(StartRollbackOutcome.Duplicate, deliveries.Count() - 1)],
            deliveries.Select(d => d.Answer.Outcome).Order()));
        Assert.Equal(ids, await JoinedIdsAsync(h, Active));
        foreach (var id in ids)
        {
            Assert.Equal(new TriggerBinding(Active, true, false), await h.TriggerKeys.FindBindingAsync(WorkflowHarness.Component, TriggerSource.Pipeline, id));
        }
    }

    [Fact]
    public async Task Section6_calls_on_a_claim_being_scheduled_wait_together_and_join_once_it_is_scheduled()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        Assert.Equal(ClaimOutcome.Claimed, (await h.Components.TryClaimAsync(WorkflowHarness.Component, Active)).Outcome);
        var ids = Enumerable.Range(0, 20).Select(i => $"early-{i:D2}").ToList();

        var waiting = ids.Select(id => joins.JoinAsync(Command(id), CancellationToken.None)).ToList();
        await Task.Delay(300);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        Assert.Empty(await JoinedIdsAsync(h, Active));
        await h.ScheduleClaimedAsync(Active);
        var joined = await Task.WhenAll(waiting);

        Assert.All(joined, j => Assert.Equal((StartRollbackOutcome.Joined, Active), (j.Answer!.Outcome, j.Answer.RollbackId)));
        Assert.Equal(ids, await JoinedIdsAsync(h, Active));
    }

    [Fact]
    public async Task Section6_a_claim_that_is_never_scheduled_is_never_joined_and_the_calls_get_it_back_to_settle()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        Assert.Equal(ClaimOutcome.Claimed, (await h.Components.TryClaimAsync(WorkflowHarness.Component, "shop-ghost")).Outcome);
        var started = DateTimeOffset.UtcNow;

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => joins.JoinAsync(Command($"ghost-{i}"), CancellationToken.None)));

        Assert.True(DateTimeOffset.UtcNow - started >= ComponentJoinBatcher.UnscheduledClaimWait - TimeSpan.FromMilliseconds(50));
        Assert.All(answers, a => Assert.Equal(("shop-ghost", (DateTimeOffset?)null, (StartRollbackResult?)null), (a.State.ActiveRollbackId, a.State.ActiveScheduledAt, a.Answer)));
        Assert.Null(await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "ghost-0"));
        Assert.Empty(await JoinedIdsAsync(h, "shop-ghost"));
    }

    [Fact]
    public async Task Section11_a_frozen_component_is_handed_back_to_the_caller_and_nothing_is_written()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var joins = Batcher(h);
        await h.ClaimRunningAsync(Active);
        await h.Components.FreezeAsync(WorkflowHarness.Component, Active, "deployment failed");

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => joins.JoinAsync(Command($"frozen-{i}"), CancellationToken.None)));

        Assert.All(answers, a => Assert.True(a.State.IsFrozen && a.Answer is null));
        Assert.Null(await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "frozen-0"));
        Assert.Empty(await JoinedIdsAsync(h, Active));
    }

    private static ComponentJoinBatcher Batcher(WorkflowHarness h) => h.Services.GetRequiredService<ComponentJoinBatcher>();

    private static StartRollbackCommand Command(string triggerId) => new(WorkflowHarness.Component, null, new RollbackTrigger(
        TriggerReason.HealthDegraded, TriggerSource.Pipeline, triggerId, DateTimeOffset.UtcNow, "pipeline@example.test", null));

    private static async Task<IReadOnlyList<string>> JoinedIdsAsync(WorkflowHarness h, string rollbackId) =>
        [.. (await h.Audit.GetTimelineAsync(rollbackId)).Joined.Select(j => j.Trigger.TriggerId).Order(StringComparer.Ordinal)];
}
