using System.Text.Json;
using RollbackFunctions.Domain;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>Each end of a rollback (API.md "Outcomes and phases"), with its audit, component state and the calls made.</summary>
public sealed class RollbackOutcomeTests
{
    [Fact]
    public async Task Section8_rollback_succeeds_only_after_deployment_probes_and_operator_confirmation()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();

        var started = await h.StartedAsync();
        var id = started.RollbackId!;
        await h.WaitForPhaseAsync(id, RollbackPhase.AwaitingConfirmation);
        var waiting = await h.Audit.GetRollbackAsync(id);
        Assert.NotEqual(RollbackPhase.Succeeded, waiting!.Phase);
        Assert.Null((await h.Client.GetInstanceAsync(id))!.IsCompleted ? "ended before confirmation" : null);
        await h.ConfirmAsync(id);
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal("1.1.0", result.TargetVersion);

        // Section 6: through the deployment API only, whole component, idempotency key, no migrations, no secrets.
        Assert.Equal(1, h.Api.DeploymentsCreated);
        var deployment = Assert.Single(h.Api.Deployments);
        Assert.Equal((WorkflowHarness.Component, "1.1.0", WorkflowHarness.Digest('b'), id, "rollback"), (deployment.Component, deployment.Version, deployment.Artifact, deployment.IdempotencyKey, deployment.Mode));
        Assert.False(deployment.RunMigrations);
        Assert.False(deployment.RotateSecrets);
        var post = h.Api.Requests.First(r => r.Method == "POST");
        using (var body = JsonDocument.Parse(post.Body!))
        {
            Assert.False(body.RootElement.GetProperty("runMigrations").GetBoolean());
            Assert.False(body.RootElement.GetProperty("rotateSecrets").GetBoolean());
        }

        Assert.All(h.Api.Requests, r => Assert.Equal("local-only", r.ApiKey));

        // Section 8: smoke probe once, health check twice in a row.
        Assert.True(h.Endpoints.Hits(WorkflowHarness.SmokePath) >= 1);
        Assert.True(h.Endpoints.Hits(WorkflowHarness.HealthPath) >= 2);
        Assert.Empty(h.Incidents.Attempts);

        // Section 10: why, to which version, when, how it ended; R and the confirmation recorded.
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(RollbackPhase.Succeeded, rollback.Phase);
        Assert.Equal(TriggerReason.HealthDegraded, rollback.Trigger.Reason);
        Assert.Equal(("1.2.0", "1.1.0", WorkflowHarness.Digest('b')), (rollback.FromVersion, rollback.TargetVersion, rollback.TargetArtifact));
        Assert.Equal("dep-0001", rollback.DeploymentId);
        Assert.NotNull(rollback.VerifiedAt);
        Assert.NotNull(rollback.RecoverySeconds);
        Assert.InRange(rollback.RecoverySeconds!.Value, 0, 30);
        Assert.Equal((rollback.VerifiedAt!.Value - rollback.Trigger.ReceivedAt).TotalSeconds, rollback.RecoverySeconds.Value, 3);
        Assert.Equal("ops@example.test", rollback.ConfirmedBy);
        Assert.NotNull(rollback.ConfirmedAt);
        Assert.True(rollback.EndedAt >= rollback.VerifiedAt);
        Assert.Equal(rollback.Trigger.ReceivedAt + TimeSpan.FromSeconds(30), rollback.Deadline);
        Assert.Null(rollback.Escalation);
        var names = steps.Select(s => s.Name).ToList();
        Assert.True(names.IndexOf("TargetPinned") < names.IndexOf("DeploymentRequested"));
        Assert.Contains("SmokeProbe:home", names);
        Assert.Contains("HealthProbe:health", names);
        Assert.Contains("OperatorConfirmed", names);
        Assert.Equal("Succeeded", names[^1]);

        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal(("1.1.0", "1.1.0", null as string, false), (state.CurrentVersion, state.LastKnownGoodVersion, state.ActiveRollbackId, state.IsFrozen));
    }

    [Fact]
    public async Task Section11_failed_deployment_ends_Failed_escalates_and_freezes()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Fail("image pull failed");

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains("image pull failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Equal(0, h.Endpoints.TotalHits);
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
    }

    [Fact]
    public async Task Section9_partial_deployment_is_Failed_never_reported_as_success()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Partial();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains("Partial deployment", result.Reason, StringComparison.Ordinal);
        Assert.Contains("worker=Failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Endpoints.TotalHits);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Null(rollback.VerifiedAt);
        Assert.Contains(steps, s => s.Name == "DeploymentCompleted" && s.Status == StepStatus.Failed);
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
        Assert.NotEqual("1.1.0", (await h.Components.GetAsync(WorkflowHarness.Component)).CurrentVersion);
    }

    [Fact]
    public async Task Section8_failing_health_check_ends_Failed_after_its_attempts()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Endpoints.Set(WorkflowHarness.HealthPath, new EndpointBehaviour(200, "Degraded"));

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains("Health probe 'health'", result.Reason, StringComparison.Ordinal);
        Assert.Equal(4, h.Endpoints.Hits(WorkflowHarness.HealthPath));
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
    }

    [Fact]
    public async Task Section8_a_failing_smoke_probe_ends_Failed_and_no_health_check_is_made()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Endpoints.Set(WorkflowHarness.SmokePath, new EndpointBehaviour(503, "down"));

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains("Smoke probe 'home'", result.Reason, StringComparison.Ordinal);
        Assert.Equal(3, h.Endpoints.Hits(WorkflowHarness.SmokePath));
        Assert.Equal(0, h.Endpoints.Hits(WorkflowHarness.HealthPath));
        var (_, steps, _) = await h.TimelineAsync(id);
        Assert.Contains(steps, s => s.Name == "SmokeProbe:home" && s.Status == StepStatus.Failed && s.Detail!.Contains("3 attempt(s)", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.Name.StartsWith("HealthProbe:", StringComparison.Ordinal));
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
    }

    [Fact]
    public async Task Section8_each_probe_is_attempted_until_its_consecutive_passes_and_no_more()
    {
        await using var h = await WorkflowHarness.StartAsync(s =>
        {
            s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false";
            s[$"Rollback:Components:{WorkflowHarness.Component}:SmokeProbes:0:ConsecutivePasses"] = "2";
        });
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(2, h.Endpoints.Hits(WorkflowHarness.SmokePath));
        Assert.Equal(2, h.Endpoints.Hits(WorkflowHarness.HealthPath));
        var (_, steps, _) = await h.TimelineAsync(id);
        Assert.Contains(steps, s => s.Name == "SmokeProbe:home" && s.Status == StepStatus.Passed && s.Detail!.Contains("2 consecutive pass(es) in 2 attempt(s)", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Name == "HealthProbe:health" && s.Status == StepStatus.Passed && s.Detail!.Contains("2 consecutive pass(es) in 2 attempt(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Section7_budget_timer_wins_TimedOut_and_no_further_change_is_requested()
    {
        await using var h = await WorkflowHarness.StartAsync(s =>
        {
            s["Rollback:Budget"] = "00:00:06";
            s["Rollback:DeploymentPollInterval"] = "00:00:00.200";
        });
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.RunForever();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.TimedOut, result.Outcome);
        Assert.Null(result.RecoverySeconds);
        var requestsAtEnd = h.Api.Requests.Count;
        await Task.Delay(800);
        Assert.Equal(requestsAtEnd, h.Api.Requests.Count);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Equal(0, h.Endpoints.TotalHits);
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.Equal(6, rollback.BudgetSeconds);
        Assert.True(rollback.EndedAt >= rollback.Deadline, $"ended {rollback.EndedAt:O} before the deadline {rollback.Deadline:O}");
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.TimedOut);
    }

    [Fact]
    public async Task Section8_no_operator_confirmation_within_the_window_ends_Unconfirmed()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:ConfirmationWindow"] = "00:00:01");
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Unconfirmed, result.Outcome);
        Assert.NotNull(result.RecoverySeconds);
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.NotNull(rollback.VerifiedAt);
        Assert.Null(rollback.ConfirmedAt);
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Unconfirmed);
    }

    [Fact]
    public async Task Trust_an_unconfirmed_rollback_leaves_its_verified_target_current_but_not_known_good()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:ConfirmationWindow"] = "00:00:01");
        await h.SeedStandardReleasesAsync();
        var before = await h.Components.GetAsync(WorkflowHarness.Component);

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal((RollbackPhase.Unconfirmed, "1.1.0"), (result.Outcome, result.TargetVersion));
        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal("1.1.0", state.CurrentVersion);
        Assert.Equal(before.LastKnownGoodVersion, state.LastKnownGoodVersion);
        Assert.True(state.IsFrozen);
    }

    [Fact]
    public async Task Trust_a_rollback_that_failed_before_verification_leaves_the_version_it_rolled_back_from_current()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Fail("image pull failed");

        var id = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Failed, (await h.WaitForEndAsync(id)).Outcome);

        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal("1.2.0", state.CurrentVersion);
        Assert.True(state.IsFrozen);
    }

    [Fact]
    public async Task Section7_the_deadline_runs_from_the_triggers_receipt_not_from_the_orchestrations_start()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:Budget"] = "00:00:06");
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.RunForever();
        var receivedAt = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(4);

        var started = await h.TriggerAsync(receivedAt: receivedAt);
        var result = await h.WaitForEndAsync(started.RollbackId!);

        Assert.Equal(RollbackPhase.TimedOut, result.Outcome);
        var (rollback, _, _) = await h.TimelineAsync(started.RollbackId!);
        Assert.Equal(receivedAt, rollback.Trigger.ReceivedAt);
        Assert.Equal(receivedAt + TimeSpan.FromSeconds(6), rollback.Deadline);
        Assert.True(rollback.EndedAt!.Value - rollback.StartedAt < TimeSpan.FromSeconds(5), $"ran {rollback.EndedAt - rollback.StartedAt} after its start: the budget was counted from the start");
        Assert.True(rollback.EndedAt >= rollback.Deadline);
    }

    [Fact]
    public async Task Section10_the_audit_answers_why_rollback_was_executed_and_to_which_version()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();

        var id = (await h.TriggerAsync(reason: TriggerReason.DefinitionOfDoneViolated)).RollbackId!;
        await h.WaitForEndAsync(id);

        var listed = Assert.Single(await h.Audit.ListAsync(WorkflowHarness.Component, 10));
        Assert.Equal(id, listed.RollbackId);
        Assert.Equal((TriggerReason.DefinitionOfDoneViolated, TriggerSource.Pipeline, "pipeline@example.test", "p95 latency 4 s"),
            (listed.Trigger.Reason, listed.Trigger.Source, listed.Trigger.RequestedBy, listed.Trigger.Details));
        Assert.Equal(("1.2.0", "1.1.0", WorkflowHarness.Digest('b'), RollbackPhase.Succeeded), (listed.FromVersion, listed.TargetVersion, listed.TargetArtifact, listed.Phase));
        Assert.True(listed.Trigger.ReceivedAt <= listed.StartedAt && listed.StartedAt <= listed.VerifiedAt && listed.VerifiedAt <= listed.EndedAt);
        Assert.Equal((listed.VerifiedAt!.Value - listed.Trigger.ReceivedAt).TotalSeconds, listed.RecoverySeconds!.Value, 3);

        var (_, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(steps.OrderBy(s => s.At).Select(s => s.Sequence), steps.Select(s => s.Sequence));
        Assert.All(steps, s => Assert.InRange(s.At, listed.StartedAt, listed.EndedAt!.Value));
        Assert.Contains(steps, s => s.Name == "TriggerReceived" && s.Detail!.Contains("DefinitionOfDoneViolated", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Name == "TargetPinned" && s.Detail!.Contains("1.2.0 -> 1.1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Section8_a_confirmation_given_before_verification_passed_does_not_count()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:ConfirmationWindow"] = "00:00:02");
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.SucceedAfter(5);

        var id = (await h.StartedAsync()).RollbackId!;
        await h.WaitForPhaseAsync(id, RollbackPhase.Deploying);
        await h.ConfirmAsync(id, "hasty@example.test");
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Unconfirmed, result.Outcome);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Null(rollback.ConfirmedBy);
        Assert.Contains(steps, s => s.Name == "EarlyConfirmationIgnored" && s.Detail!.Contains("hasty@example.test", StringComparison.Ordinal));
        await AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Unconfirmed);
    }

    internal static async Task AssertEscalatedAndFrozenAsync(WorkflowHarness h, string id, RollbackPhase outcome)
    {
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(outcome, rollback.Phase);
        Assert.NotNull(rollback.OutcomeReason);
        Assert.NotNull(rollback.EndedAt);
        Assert.NotNull(rollback.Escalation);
        Assert.True(rollback.Escalation!.Delivered);
        Assert.Contains(steps, s => s.Name == "Escalation" && s.Status == StepStatus.Passed);

        var incident = Assert.Single(h.Incidents.Accepted);
        Assert.Equal(id, incident.Text("rollbackId"));
        Assert.Equal(WorkflowHarness.Component, incident.Text("component"));
        Assert.Equal(outcome.ToString(), incident.Text("outcome"));
        Assert.Equal(rollback.OutcomeReason, incident.Text("reason"));
        Assert.Equal($"/api/rollbacks/{id}", incident.Text("statusUri"));
        Assert.Equal(id, incident.IdempotencyKey);

        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.True(state.IsFrozen);
        Assert.Equal(id, state.Freeze!.RollbackId);
        Assert.Null(state.ActiveRollbackId);
    }
}
