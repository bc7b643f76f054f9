using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment;
using RollbackFunctions.Deployment.Generic;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>Start-or-join (sections 6 and 11): one rollback per trigger, one active rollback per component, frozen stays frozen.</summary>
public sealed class RollbackStartTests
{
    [Fact]
    public async Task Section6_the_same_trigger_twice_yields_one_rollback_and_one_deployment()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();

        var first = await h.TriggerAsync(triggerId: "corr-42");
        var second = await h.TriggerAsync(triggerId: "corr-42");
        await h.WaitForEndAsync(first.RollbackId!);
        var third = await h.TriggerAsync(triggerId: "corr-42");

        Assert.Equal(StartRollbackOutcome.Started, first.Outcome);
        Assert.Equal((StartRollbackOutcome.Duplicate, first.RollbackId), (second.Outcome, second.RollbackId));
        Assert.Equal((StartRollbackOutcome.Duplicate, first.RollbackId), (third.Outcome, third.RollbackId));
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Single(await h.Audit.ListAsync(WorkflowHarness.Component, 10));
        var (_, _, joined) = await h.TimelineAsync(first.RollbackId!);
        Assert.Empty(joined);
    }

    [Fact]
    public async Task Section6_a_concurrent_trigger_joins_the_active_rollback_and_is_recorded_on_it()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();

        var first = await h.TriggerAsync(triggerId: "alert-1", reason: TriggerReason.HealthDegraded);
        var second = await h.TriggerAsync(triggerId: "alert-2", reason: TriggerReason.SmokeTestsFailed);
        var racing = await Task.WhenAll(Enumerable.Range(3, 4).Select(i => h.TriggerAsync(triggerId: $"alert-{i}")));

        Assert.Equal(StartRollbackOutcome.Started, first.Outcome);
        Assert.Equal((StartRollbackOutcome.Joined, first.RollbackId), (second.Outcome, second.RollbackId));
        Assert.All(racing, r => Assert.Equal((StartRollbackOutcome.Joined, first.RollbackId), (r.Outcome, r.RollbackId)));
        Assert.Equal(first.RollbackId, await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "alert-2"));

        await h.WaitForPhaseAsync(first.RollbackId!, RollbackPhase.AwaitingConfirmation);
        await h.ConfirmAsync(first.RollbackId!);
        var result = await h.WaitForEndAsync(first.RollbackId!);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        var (_, _, joined) = await h.TimelineAsync(first.RollbackId!);
        Assert.Equal(5, joined.Count);
        Assert.Contains(joined, j => j.Trigger.TriggerId == "alert-2" && j.Trigger.Reason == TriggerReason.SmokeTestsFailed);
        Assert.Single(await h.Audit.ListAsync(WorkflowHarness.Component, 10));
    }

    [Fact]
    public async Task Section11_a_trigger_on_a_frozen_component_starts_nothing_and_writes_nothing()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = Simulators.DeploymentScript.Fail();
        var failed = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Failed, (await h.WaitForEndAsync(failed)).Outcome);
        var requestsBefore = h.Api.Requests.Count;

        var refused = await h.TriggerAsync(triggerId: "corr-after-freeze");

        Assert.Equal(StartRollbackOutcome.Frozen, refused.Outcome);
        Assert.Null(refused.RollbackId);
        Assert.Contains(failed, refused.Reason, StringComparison.Ordinal);
        Assert.Null(await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "corr-after-freeze"));
        Assert.Single(await h.Audit.ListAsync(WorkflowHarness.Component, 10));
        Assert.Equal(requestsBefore, h.Api.Requests.Count);
        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.True(state.IsFrozen);
        Assert.Null(state.ActiveRollbackId);
    }

    [Fact]
    public async Task Section11_after_an_operator_unfreezes_with_analysis_a_new_rollback_runs()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();
        h.Api.ScriptFor(WorkflowHarness.Component, Simulators.DeploymentScript.Partial());
        var failed = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Failed, (await h.WaitForEndAsync(failed)).Outcome);
        Assert.Equal(StartRollbackOutcome.Frozen, (await h.TriggerAsync()).Outcome);

        var (unfrozen, _) = await h.Components.UnfreezeAsync(WorkflowHarness.Component, "ops@example.test", "INC-7", "worker unit lacked a config key; fixed in the pipeline");
        Assert.Equal(UnfreezeOutcome.Unfrozen, unfrozen);
        h.Api.ScriptFor(WorkflowHarness.Component, Simulators.DeploymentScript.Succeed());
        var retried = await h.StartedAsync();
        var result = await h.WaitForEndAsync(retried.RollbackId!);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.NotEqual(failed, retried.RollbackId);
        Assert.Equal(2, h.Api.DeploymentsCreated);
        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal(("1.1.0", false), (state.CurrentVersion, state.IsFrozen));
        Assert.Equal(("INC-7", failed), (state.LastUnfreeze!.IncidentRef, state.LastUnfreeze.RollbackId));
        Assert.Equal(2, (await h.Audit.ListAsync(WorkflowHarness.Component, 10)).Count);
    }

    [Fact]
    public async Task Section6_a_start_activity_replayed_after_a_crash_deploys_once()
    {
        var crashes = new CrashAfterStart();
        await using var h = await WorkflowHarness.StartAsync(
            s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false",
            services =>
            {
                services.AddSingleton(crashes);
                services.AddKeyedTransient<IDeploymentProvider>(DeploymentProviderType.Generic, (sp, _) =>
                    new CrashingProvider(sp.GetRequiredService<GenericDeploymentProvider>(), sp.GetRequiredService<CrashAfterStart>()));
            });
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(1, crashes.Crashed);
        Assert.Equal(2, h.Api.StartRequests);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.All(h.Api.Requests.Where(r => r.Method == "POST"), r => Assert.Contains(id, r.Body, StringComparison.Ordinal));
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal("dep-0001", rollback.DeploymentId);
        Assert.Contains(steps, s => s.Name == "DeploymentStarted" && s.Detail!.Contains("already started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Section11_a_stale_claim_left_by_a_crash_before_scheduling_does_not_wedge_the_component()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));
        var crashedStore = new ComponentStateStore(h.Services.GetRequiredService<RollbackTables>(), past);
        Assert.Equal(ClaimOutcome.Claimed, (await crashedStore.TryClaimAsync(WorkflowHarness.Component, "shop-ghost")).Outcome);

        var started = await h.TriggerAsync();

        Assert.Equal(StartRollbackOutcome.Started, started.Outcome);
        Assert.Equal(RollbackPhase.Succeeded, (await h.WaitForEndAsync(started.RollbackId!)).Outcome);
    }

    [Fact]
    public async Task Section6_a_fresh_claim_of_a_rollback_still_being_scheduled_is_joined_not_stolen()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        Assert.Equal(ClaimOutcome.Claimed, (await h.Components.TryClaimAsync(WorkflowHarness.Component, "shop-being-scheduled")).Outcome);
        var scheduling = Task.Run(async () =>
        {
            await Task.Delay(300);
            await h.ScheduleClaimedAsync("shop-being-scheduled");
        });

        var joined = await h.TriggerAsync();
        await scheduling;

        Assert.Equal((StartRollbackOutcome.Joined, "shop-being-scheduled"), (joined.Outcome, joined.RollbackId));
        Assert.Equal("shop-being-scheduled", (await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);
    }

    [Fact]
    public async Task Section6_when_scheduling_fails_every_claim_is_given_back_and_a_retry_starts_it()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();
        var command = new StartRollbackCommand(WorkflowHarness.Component, null, new RollbackTrigger(
            TriggerReason.RuntimeDeviation, TriggerSource.EventGrid, "evt-1", DateTimeOffset.UtcNow, "eventgrid", null));

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Starter.StartOrJoinAsync(new UnavailableClient(), command, CancellationToken.None));

        Assert.Null((await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);
        Assert.Null(await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.EventGrid, "evt-1"));
        var retried = await h.Starter.StartOrJoinAsync(h.Client, command, CancellationToken.None);
        Assert.Equal(StartRollbackOutcome.Started, retried.Outcome);
        Assert.Equal(RollbackPhase.Succeeded, (await h.WaitForEndAsync(retried.RollbackId!)).Outcome);
    }

    internal sealed class CrashAfterStart
    {
        private int _crashed;

        public int Crashed => Volatile.Read(ref _crashed);

        public bool ShouldCrash() => Interlocked.CompareExchange(ref _crashed, 1, 0) == 0;
    }

    /// <summary>The real provider, but the first start "crashes" after the deployment API accepted it.</summary>
    private sealed class CrashingProvider(GenericDeploymentProvider inner, CrashAfterStart crashes) : IDeploymentProvider
    {
        public async Task<DeploymentStarted> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
        {
            var started = await inner.StartAsync(request, cancellationToken);
            return crashes.ShouldCrash() ? throw new IOException("worker lost after the deployment was requested") : started;
        }

        public Task<DeploymentProgress> GetProgressAsync(DeploymentQuery query, CancellationToken cancellationToken) => inner.GetProgressAsync(query, cancellationToken);

        public Task<DeploymentCancelResult> CancelAsync(DeploymentCancellation request, CancellationToken cancellationToken) => inner.CancelAsync(request, cancellationToken);
    }

    /// <summary>A durable backend that is down: scheduling throws.</summary>
    private sealed class UnavailableClient() : DurableTaskClient("unavailable")
    {
        public override Task<string> ScheduleNewOrchestrationInstanceAsync(Microsoft.DurableTask.TaskName orchestratorName, object? input = null, Microsoft.DurableTask.StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
            throw new InvalidOperationException("task hub unavailable");

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Microsoft.DurableTask.AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
    }
}
