using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Domain;
using RollbackFunctions.Observability;
using RollbackFunctions.Simulators;
using RollbackFunctions.Storage;
using RollbackFunctions.Verification;
using RollbackFunctions.Workflow;
using RollbackFunctions.Workflow.Stages;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>
/// API.md "Nothing is left hanging": a failure nobody foresaw ends the rollback Failed like any failure (frozen,
/// audited, escalated); ends replayed later change nothing an operator or a later deployment did since; early timers
/// are armed again; a deployment still running when the budget ends is cancelled.
/// </summary>
public sealed class RollbackNothingHangsTests
{
    [Fact]
    public async Task An_activity_whose_retries_run_out_ends_Failed_frozen_audited_and_escalated()
    {
        // The probe runner's transport throws what the runner does not expect: every probe activity fails, retries too.
        await using var h = await WorkflowHarness.StartAsync(services: s => s.AddHttpClient<ProbeRunner>().ConfigurePrimaryHttpMessageHandler(() => new BrokenHandler()));
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains(nameof(RunProbeActivity) + " failed after its retries", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Equal(0, h.Endpoints.TotalHits);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(result.Reason, rollback.OutcomeReason);
        Assert.Contains(steps, s => s.Name == "UnexpectedFailure" && s.Status == StepStatus.Failed);
        Assert.Contains(steps, s => s.Name == "DeploymentCompleted" && s.Status == StepStatus.Passed);
        Assert.Equal("Escalation", steps[^1].Name);
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
    }

    [Fact]
    public async Task A_fault_in_the_orchestrators_own_logic_ends_Failed_frozen_audited_and_escalated()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();

        // A confirmation window no clock can hold: the workflow's own date arithmetic throws once verification passed.
        const string id = "rb-logic-fault";
        Assert.Equal(ClaimOutcome.Claimed, (await h.Components.TryClaimAsync(WorkflowHarness.Component, id)).Outcome);
        var policy = RollbackPolicy.Default with { Budget = TimeSpan.FromSeconds(30), ConfirmationWindow = TimeSpan.MaxValue, IncidentInitialBackoff = TimeSpan.FromMilliseconds(100) };
        await h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RollbackOrchestrator), new RollbackRequest(id, WorkflowHarness.Component, null,
            new RollbackTrigger(TriggerReason.HealthDegraded, TriggerSource.Pipeline, "corr-fault", DateTimeOffset.UtcNow, "pipeline@example.test", "p95 latency 4 s"), policy),
            new Microsoft.DurableTask.StartOrchestrationOptions(id));
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains("The workflow failed unexpectedly: ArgumentOutOfRangeException", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.True(h.Endpoints.Hits(WorkflowHarness.HealthPath) >= 2);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.NotNull(rollback.VerifiedAt);
        Assert.Contains(steps, s => s.Name == "UnexpectedFailure");
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
    }

    [Fact]
    public async Task A_failed_end_replayed_after_the_operator_unfroze_the_component_does_not_freeze_it_again()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Fail("image pull failed");
        var id = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Failed, (await h.WaitForEndAsync(id)).Outcome);
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
        var (unfrozen, _) = await h.Components.UnfreezeAsync(WorkflowHarness.Component, "ops@example.test", "INC-1", "registry outage");
        Assert.Equal(UnfreezeOutcome.Unfrozen, unfrozen);

        // The end's settle runs again, as a redelivered activity would, with the same input.
        var settle = new SettleComponentActivity(h.Components, h.Audit, h.Services.GetRequiredService<RollbackMetrics>());
        var again = await settle.RunAsync(null!, new SettleComponentInput(id, WorkflowHarness.Component, RollbackPhase.Failed, "1.1.0", "replayed", null, 0));

        Assert.False(again.Settled);
        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.False(state.IsFrozen);
        Assert.Equal(id, state.LastUnfreeze!.RollbackId);
        Assert.Null(state.ActiveRollbackId);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Single(h.Incidents.Accepted);
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.Equal(RollbackPhase.Failed, rollback.Phase);
    }

    [Fact]
    public async Task A_success_replayed_after_a_later_deployment_does_not_move_the_current_version_back()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();
        var id = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Succeeded, (await h.WaitForEndAsync(id)).Outcome);
        Assert.Equal("1.1.0", (await h.Components.GetAsync(WorkflowHarness.Component)).CurrentVersion);
        await h.RecordAsync("1.3.0", WorkflowHarness.Digest('d'), ReleaseStatus.Verified, "7", current: true);

        var settle = new SettleComponentActivity(h.Components, h.Audit, h.Services.GetRequiredService<RollbackMetrics>());
        await settle.RunAsync(null!, new SettleComponentInput(id, WorkflowHarness.Component, RollbackPhase.Succeeded, "1.1.0", "replayed", 1, 29));

        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal(("1.3.0", "1.3.0", null as string, false), (state.CurrentVersion, state.LastKnownGoodVersion, state.ActiveRollbackId, state.IsFrozen));
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Empty(h.Incidents.Attempts);
    }

    [Fact]
    public void A_timer_that_fired_early_is_armed_again_for_the_rest()
    {
        var due = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(due, DurableTimers.RearmAt(due - TimeSpan.FromMilliseconds(900), due));
        Assert.Equal(due, DurableTimers.RearmAt(due - TimeSpan.FromTicks(1), due));
        Assert.Null(DurableTimers.RearmAt(due, due));
        Assert.Null(DurableTimers.RearmAt(due + TimeSpan.FromMilliseconds(5), due));
    }

    [Fact]
    public async Task Section7_a_deployment_still_running_when_the_budget_ends_is_cancelled_and_the_audit_says_so()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:Budget"] = "00:00:04");
        await h.SeedStandardReleasesAsync();

        // Still running at every poll the budget leaves room for.
        h.Api.DefaultScript = DeploymentScript.SucceedAfter(10_000);
        var result = await h.WaitForEndAsync((await h.StartedAsync()).RollbackId!);
        var id = result.RollbackId;

        Assert.Equal(RollbackPhase.TimedOut, result.Outcome);
        var deployment = Assert.Single(h.Api.Deployments);
        var cancel = Assert.Single(h.Api.Requests, r => r.Method == "POST" && r.Path.EndsWith("/cancel", StringComparison.Ordinal));
        Assert.Equal($"/deployments/{deployment.DeploymentId}/cancel", cancel.Path);
        Assert.Equal([deployment.DeploymentId], h.Api.CancelledDeploymentIds);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.True(cancel.At >= rollback.Deadline, "cancelled before the budget ran out");
        var step = Assert.Single(steps, s => s.Name == "DeploymentCancel");
        Assert.Equal(StepStatus.Passed, step.Status);
        Assert.Contains(deployment.DeploymentId, step.Detail, StringComparison.Ordinal);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Equal(0, h.Endpoints.TotalHits);
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.TimedOut);
    }

    private sealed class BrokenHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("probe transport broken");
    }
}
