using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Workflow;
using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.Tests.Reconciliation;

/// <summary>
/// API.md "Nothing is left hanging": a claim always belongs to an orchestration that exists; the reconciler ends a
/// claim whose orchestration is missing, failed or terminated as Failed (frozen, audited, escalated once), and a
/// trigger never joins a rollback that does not exist. Real in-process engine, Azurite, loopback incident sink.
/// </summary>
public sealed class RollbackReconcilerTests
{
    private const string Ghost = "shop-ghost-0001";

    [Fact]
    public async Task A_claim_whose_orchestration_was_never_scheduled_is_not_joined_and_the_reconciler_ends_it_failed_once()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        await CrashBetweenClaimAndScheduleAsync(h, Ghost, "corr-ghost");

        var later = h.TriggerAsync(triggerId: "corr-later");

        await Assert.ThrowsAsync<TimeoutException>(() => later);
        Assert.Null(await h.TriggerKeys.FindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, "corr-later"));
        Assert.Empty((await h.Audit.GetTimelineAsync(Ghost)).Joined);
        Assert.Null(await h.Client.GetInstanceAsync(Ghost));

        // A pass within the grace leaves a claim that may be being scheduled right now alone.
        Assert.Empty((await ReconcilerAt(h, TimeSpan.FromSeconds(5)).ReconcileAsync(h.Client, CancellationToken.None)).Ended);
        Assert.Equal(Ghost, (await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);

        var pass = await ReconcilerAt(h, TimeSpan.FromMinutes(1)).ReconcileAsync(h.Client, CancellationToken.None);

        var ended = Assert.Single(pass.Ended);
        Assert.Equal((Ghost, AbandonedReason.OrchestrationMissing), (ended.RollbackId, ended.Reason));
        await AssertEndedFailedAsync(h, Ghost, "never scheduled");
        var (summary, _, _) = await h.Audit.GetTimelineAsync(Ghost);
        Assert.Equal(("corr-ghost", "1.2.0"), (summary!.Trigger.TriggerId, summary.FromVersion));

        var second = await ReconcilerAt(h, TimeSpan.FromMinutes(2)).ReconcileAsync(h.Client, CancellationToken.None);

        Assert.Empty(second.Ended);
        Assert.Single(h.Incidents.Attempts, d => d.Text("rollbackId") == Ghost);
        var retry = await h.TriggerAsync(triggerId: "corr-ghost");
        Assert.Equal((StartRollbackOutcome.Duplicate, Ghost), (retry.Outcome, retry.RollbackId));
        Assert.NotNull(await h.Audit.GetRollbackAsync(Ghost));
    }

    [Fact]
    public async Task Two_reconcilers_at_once_end_an_abandoned_claim_once_and_escalate_once()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        await CrashBetweenClaimAndScheduleAsync(h, Ghost, "corr-ghost");
        var first = ReconcilerAt(h, TimeSpan.FromMinutes(1));
        var second = ReconcilerAt(h, TimeSpan.FromMinutes(1));

        await Task.WhenAll(Task.Run(() => first.ReconcileAsync(h.Client, CancellationToken.None)), Task.Run(() => second.ReconcileAsync(h.Client, CancellationToken.None)));

        await AssertEndedFailedAsync(h, Ghost, "never scheduled");
    }

    [Fact]
    public async Task A_rollback_terminated_while_it_waits_for_confirmation_is_ended_failed_by_the_reconciler()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        var id = (await h.StartedAsync()).RollbackId!;
        await h.WaitForPhaseAsync(id, RollbackPhase.AwaitingConfirmation);

        await h.Client.TerminateInstanceAsync(id, "operator pulled the plug");
        await WaitForStatusAsync(h, id, OrchestrationRuntimeStatus.Terminated);
        Assert.Equal(id, (await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);

        var pass = await h.Services.GetRequiredService<RollbackReconciler>().ReconcileAsync(h.Client, CancellationToken.None);

        Assert.Equal(AbandonedReason.OrchestrationTerminated, Assert.Single(pass.Ended).Reason);
        await AssertEndedFailedAsync(h, id, "terminated");
        var (summary, _, _) = await h.Audit.GetTimelineAsync(id);
        Assert.Equal("1.1.0", summary!.TargetVersion);
        Assert.Empty((await h.Services.GetRequiredService<RollbackReconciler>().ReconcileAsync(h.Client, CancellationToken.None)).Ended);
        Assert.Single(h.Incidents.Attempts, d => d.Text("rollbackId") == id);
    }

    [Fact]
    public async Task A_rollback_whose_orchestration_code_is_gone_fails_in_the_engine_and_is_ended_failed_by_the_reconciler()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        const string id = "shop-replaced-0001";

        // Scheduled under a name this build does not register, as after a deployment that renamed the orchestrator.
        await h.ClaimRunningAsync(id, orchestrator: "RollbackOrchestratorV0");
        await WaitForStatusAsync(h, id, OrchestrationRuntimeStatus.Failed);

        var pass = await h.Services.GetRequiredService<RollbackReconciler>().ReconcileAsync(h.Client, CancellationToken.None);

        Assert.Equal(AbandonedReason.OrchestrationFailed, Assert.Single(pass.Ended).Reason);
        await AssertEndedFailedAsync(h, id, "failed in the engine");
    }

    [Fact]
    public async Task When_the_incident_cannot_be_delivered_the_component_still_freezes_and_the_failure_is_audited()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        await CrashBetweenClaimAndScheduleAsync(h, Ghost, "corr-ghost");
        h.Incidents.FailAll = true;

        await ReconcilerAt(h, TimeSpan.FromMinutes(1)).ReconcileAsync(h.Client, CancellationToken.None);

        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal((Ghost, (string?)null), (state.Freeze?.RollbackId, state.ActiveRollbackId));
        var (summary, steps, _) = await h.Audit.GetTimelineAsync(Ghost);
        Assert.False(summary!.Escalation!.Delivered);
        Assert.Equal(3, summary.Escalation.Attempts);
        Assert.Contains(steps, s => s.Name == AbandonedRollbackEnding.EscalationStep && s.Status == StepStatus.Failed);
        Assert.Equal(3, h.Incidents.Attempts.Count(d => d.Text("rollbackId") == Ghost));
    }

    [Fact]
    public async Task Trust_the_same_correlation_id_for_two_components_is_two_triggers_and_starts_two_rollbacks()
    {
        await using var h = await WorkflowHarness.StartAsync(settings =>
        {
            foreach (var (key, value) in settings.Where(s => s.Key.StartsWith("Rollback:Components:shop:", StringComparison.Ordinal)).ToList())
            {
                settings["Rollback:Components:cart:" + key["Rollback:Components:shop:".Length..]] = value;
            }

            settings["Rollback:Components:shop:RequireOperatorConfirmation"] = "false";
            settings["Rollback:Components:cart:RequireOperatorConfirmation"] = "false";
        });
        await h.SeedStandardReleasesAsync();
        await Infrastructure.RollbackTestEnvironment.SeedStandardReleasesAsync(h.Ledger, h.Components, "cart");

        var shop = await h.TriggerAsync(triggerId: "corr-shared");
        var cart = await h.TriggerAsync(triggerId: "corr-shared", component: "cart");
        var cartAgain = await h.TriggerAsync(triggerId: "corr-shared", component: "cart");

        Assert.Equal(StartRollbackOutcome.Started, shop.Outcome);
        Assert.Equal(StartRollbackOutcome.Started, cart.Outcome);
        Assert.NotEqual(shop.RollbackId, cart.RollbackId);
        Assert.Equal((StartRollbackOutcome.Duplicate, cart.RollbackId), (cartAgain.Outcome, cartAgain.RollbackId));
        Assert.Equal(shop.RollbackId, await h.TriggerKeys.FindAsync("shop", TriggerSource.Pipeline, "corr-shared"));
        Assert.Equal(cart.RollbackId, await h.TriggerKeys.FindAsync("cart", TriggerSource.Pipeline, "corr-shared"));
        Assert.Equal(RollbackPhase.Succeeded, (await h.WaitForEndAsync(shop.RollbackId!)).Outcome);
        Assert.Equal(RollbackPhase.Succeeded, (await h.WaitForEndAsync(cart.RollbackId!)).Outcome);
        Assert.Equal(2, h.Api.DeploymentsCreated);
    }

    [Theory]
    [InlineData("00:00:00", "00:00:30")]
    [InlineData("00:01:00", "00:00:30")]
    [InlineData("00:00:30", "00:00:00")]
    public void Reconciler_options_out_of_range_are_refused(string interval, string grace)
    {
        var result = new ReconcilerOptionsValidator().Validate(null, new ReconcilerOptions
        {
            Interval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture),
            ClaimGrace = TimeSpan.Parse(grace, System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.True(result.Failed);
    }

    /// <summary>What the starter has written when its process dies before scheduling: the claim (with its request) and the trigger's binding.</summary>
    private static async Task CrashBetweenClaimAndScheduleAsync(WorkflowHarness h, string rollbackId, string triggerId)
    {
        var trigger = new RollbackTrigger(TriggerReason.HealthDegraded, TriggerSource.Pipeline, triggerId, DateTimeOffset.UtcNow, "pipeline@example.test", null);
        var request = new RollbackRequest(rollbackId, WorkflowHarness.Component, null, trigger, RollbackPolicy.Default with { IncidentMaxAttempts = 3, IncidentInitialBackoff = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(ClaimOutcome.Claimed, (await h.Components.TryClaimAsync(WorkflowHarness.Component, rollbackId, request)).Outcome);
        Assert.Equal(rollbackId, await h.TriggerKeys.BindAsync(WorkflowHarness.Component, TriggerSource.Pipeline, triggerId, rollbackId));
    }

    /// <summary>The harness's reconciler, but seeing the clock <paramref name="later"/> ahead (the claim aged meanwhile).</summary>
    private static RollbackReconciler ReconcilerAt(WorkflowHarness h, TimeSpan later)
    {
        var services = h.Services;
        return new RollbackReconciler(
            h.Components,
            services.GetRequiredService<AbandonedRollbackEnding>(),
            services.GetRequiredService<IOptionsMonitor<ReconcilerOptions>>(),
            services.GetRequiredService<IOptionsMonitor<RollbackOptions>>(),
            new FakeTimeProvider(DateTimeOffset.UtcNow + later),
            NullLogger<RollbackReconciler>.Instance);
    }

    private static async Task AssertEndedFailedAsync(WorkflowHarness h, string rollbackId, string finding)
    {
        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.True(state.IsFrozen);
        Assert.Equal((rollbackId, (string?)null), (state.Freeze!.RollbackId, state.ActiveRollbackId));
        var (summary, steps, _) = await h.Audit.GetTimelineAsync(rollbackId);
        Assert.NotNull(summary);
        Assert.Equal(RollbackPhase.Failed, summary.Phase);
        Assert.NotNull(summary.EndedAt);
        Assert.Contains(finding, summary.OutcomeReason, StringComparison.Ordinal);
        Assert.True(summary.Escalation!.Delivered);
        var ended = Assert.Single(steps, s => s.Name == AbandonedRollbackEnding.EndedStep);
        Assert.Contains(finding, ended.Detail, StringComparison.Ordinal);
        Assert.Single(steps, s => s.Name == AbandonedRollbackEnding.EscalationStep && s.Status == StepStatus.Passed);
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Sequence));
        var incident = Assert.Single(h.Incidents.Attempts, d => d.Text("rollbackId") == rollbackId);
        Assert.Equal(("Failed", rollbackId), (incident.Text("outcome"), incident.IdempotencyKey));
        Assert.Contains(await h.Audit.ListAsync(WorkflowHarness.Component, 10), r => r.RollbackId == rollbackId);
    }

    private static async Task WaitForStatusAsync(WorkflowHarness h, string id, OrchestrationRuntimeStatus status)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await h.Client.GetInstanceAsync(id))?.RuntimeStatus != status)
        {
            Assert.True(DateTime.UtcNow < until, $"{id} did not become {status}");
            await Task.Delay(25);
        }
    }
}
