using System.Net;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Tests.Intake;

public sealed class PipelineAndOperatorTests
{
    [Fact]
    public async Task Section8_pipeline_rollback_runs_to_confirmation_and_the_status_route_answers_why_and_to_which_version()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => IntakeTestHost.AddOperatorKey(settings, "oncall@example.test"));
        await host.SeedReleasesAsync();
        var request = new { component = "shop", reason = "SmokeTestsFailed", requestedBy = "github-actions:shop#412", correlationId = "run-412-attempt-1", details = "smoke /checkout 500" };

        var response = await host.PostAsync("api/rollbacks", request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await IntakeTestHost.BodyAsync(response);
        var rollbackId = accepted.GetProperty("rollbackId").GetString()!;
        Assert.Equal($"/api/rollbacks/{rollbackId}", response.Headers.Location?.OriginalString);

        // The statusUri answers at once, whether or not the audit has written its first row yet.
        var immediately = await host.Http.GetAsync(accepted.GetProperty("statusUri").GetString()!.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, immediately.StatusCode);
        Assert.Equal(rollbackId, (await IntakeTestHost.BodyAsync(immediately)).GetProperty("rollbackId").GetString());

        var awaiting = await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);
        Assert.Equal("1.1.0", awaiting.GetProperty("targetVersion").GetString());
        Assert.Equal(IntakeTestHost.Digest('b'), awaiting.GetProperty("targetArtifact").GetString());
        Assert.Equal("SmokeTestsFailed", awaiting.GetProperty("trigger").GetProperty("reason").GetString());
        Assert.Equal("github-actions:shop#412", awaiting.GetProperty("trigger").GetProperty("requestedBy").GetString());
        Assert.True(awaiting.GetProperty("timeline").GetArrayLength() >= 3);
        Assert.True(awaiting.GetProperty("budgetSeconds").GetDouble() > 0);

        var confirm = await host.PostAsAsync("oncall@example.test", $"api/rollbacks/{rollbackId}/confirm", new { @operator = "oncall@example.test", note = "checkout works" });
        Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);

        var ended = await host.WaitForPhaseAsync(rollbackId, null);
        Assert.Equal("Succeeded", ended.GetProperty("outcome").GetString());
        Assert.Equal("oncall@example.test", ended.GetProperty("confirmedBy").GetString());
        var timeline = ended.GetProperty("timeline").EnumerateArray().ToList();
        Assert.All(timeline, step => Assert.True(step.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.MinValue));
        Assert.Equal(timeline.Select(s => s.GetProperty("sequence").GetInt32()).Order(), timeline.Select(s => s.GetProperty("sequence").GetInt32()));

        // Repeating the same correlation id returns the same rollback; confirming an ended rollback is 409.
        var repeat = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", request));
        Assert.Equal(rollbackId, repeat.GetProperty("rollbackId").GetString());
        Assert.Equal("Duplicate", repeat.GetProperty("outcome").GetString());
        var late = await host.PostAsAsync("oncall@example.test", $"api/rollbacks/{rollbackId}/confirm", new { @operator = "oncall@example.test" });
        await IntakeTestHost.ProblemAsync(late, HttpStatusCode.Conflict);

        var component = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.Equal("1.1.0", component.GetProperty("currentVersion").GetString());
        Assert.False(component.GetProperty("frozen").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, component.GetProperty("activeRollback").ValueKind);
        Assert.Equal(1, await host.InstanceCountAsync());
    }

    [Fact]
    public async Task Status_shows_the_live_phase_while_deploying_and_verifying_between_audit_writes()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        host.Api.DefaultScript = RollbackFunctions.Simulators.DeploymentScript.RunForever();
        var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "oncall" }));
        var rollbackId = accepted.GetProperty("rollbackId").GetString()!;

        var deploying = await host.WaitForPhaseAsync(rollbackId, RollbackPhase.Deploying, TimeSpan.FromSeconds(20));

        Assert.Equal("1.1.0", deploying.GetProperty("targetVersion").GetString());
        Assert.Contains("orchestration", deploying.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, deploying.GetProperty("outcome").ValueKind);

        // The component route shows the same live phase for its active rollback, not the audit's last batch.
        var component = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        var active = component.GetProperty("activeRollback");
        Assert.Equal(rollbackId, active.GetProperty("rollbackId").GetString());
        Assert.Equal("Deploying", active.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Requests_without_a_correlation_id_are_new_triggers_that_join_the_active_rollback()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var request = new { component = "shop", reason = "DeploymentVerificationFailed", requestedBy = "ado:release-77" };

        var first = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", request));
        var second = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", request));

        Assert.Equal("Started", first.GetProperty("outcome").GetString());
        Assert.Equal("Joined", second.GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("rollbackId").GetString(), second.GetProperty("rollbackId").GetString());
        var status = await host.WaitForPhaseAsync(first.GetProperty("rollbackId").GetString()!, RollbackPhase.AwaitingConfirmation);
        var joined = Assert.Single(status.GetProperty("joinedTriggers").EnumerateArray());
        Assert.Equal("ado:release-77", joined.GetProperty("requestedBy").GetString());
    }

    [Fact]
    public async Task Section11_failed_rollback_freezes_the_component_until_an_operator_unfreezes_it_with_all_three_fields()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => IntakeTestHost.AddOperatorKey(settings, "lead@example.test"));
        await host.SeedReleasesAsync();
        host.Api.DefaultScript = Simulators.DeploymentScript.Fail("web unit crashed");

        var started = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "pipeline" }));
        var rollbackId = started.GetProperty("rollbackId").GetString()!;
        var ended = await host.WaitForPhaseAsync(rollbackId, null);
        Assert.Equal("Failed", ended.GetProperty("outcome").GetString());

        var component = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.True(component.GetProperty("frozen").GetBoolean());
        Assert.Equal(rollbackId, component.GetProperty("freeze").GetProperty("rollbackId").GetString());

        var refused = await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "pipeline" });
        var frozen = await IntakeTestHost.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(rollbackId, frozen.GetProperty("frozenByRollbackId").GetString());

        var incomplete = await host.PostAsAsync("lead@example.test", "api/components/shop/unfreeze", new { @operator = "lead@example.test", incidentRef = "INC-7" });
        var problem = await IntakeTestHost.ProblemAsync(incomplete, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("analysis", out _));
        Assert.True((await host.Components.GetAsync("shop")).IsFrozen);

        var unfrozen = await host.PostAsAsync("lead@example.test", "api/components/shop/unfreeze", new { @operator = "lead@example.test", incidentRef = "INC-7", analysis = "web unit crashed on a bad config map; fixed" });
        Assert.Equal(HttpStatusCode.OK, unfrozen.StatusCode);
        var view = await IntakeTestHost.BodyAsync(unfrozen);
        Assert.False(view.GetProperty("frozen").GetBoolean());
        Assert.Equal("INC-7", view.GetProperty("lastUnfreeze").GetProperty("incidentRef").GetString());
        Assert.Equal(rollbackId, view.GetProperty("lastUnfreeze").GetProperty("rollbackId").GetString());
        var audit = Assert.Single(await host.Signals.ListAsync("shop", CancellationToken.None), s => s.Kind == "unfreeze");
        Assert.Equal("lead@example.test", audit.Fields["Operator"]);
        Assert.Equal("web unit crashed on a bad config map; fixed", audit.Fields["Analysis"]);

        var again = await host.PostAsAsync("lead@example.test", "api/components/shop/unfreeze", new { @operator = "lead@example.test", incidentRef = "INC-7", analysis = "again" });
        await IntakeTestHost.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Confirming_an_unknown_rollback_is_404()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var response = await host.PostAsync("api/rollbacks/shop-20260101000000-abcdef0123/confirm", new { @operator = "oncall" });

        await IntakeTestHost.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(0, await host.EntityCountAsync());
    }
}
