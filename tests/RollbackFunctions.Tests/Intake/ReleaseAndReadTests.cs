using System.Net;
using RollbackFunctions.Domain;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Tests.Intake;

public sealed class ReleaseAndReadTests
{
    [Fact]
    public async Task Section2_release_versions_are_immutable_and_the_ledger_lists_newest_first()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var created = await host.PostAsync("api/releases", Payloads.Release("1.0.0", 'a', status: "Deployed"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/releases/shop", created.Headers.Location?.OriginalString);
        Assert.Equal("Created", (await IntakeTestHost.BodyAsync(created)).GetProperty("outcome").GetString());

        var verified = await host.PostAsync("api/releases", Payloads.Release("1.0.0", 'a', status: "Verified"));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("Updated", (await IntakeTestHost.BodyAsync(verified)).GetProperty("outcome").GetString());

        var repeated = await host.PostAsync("api/releases", Payloads.Release("1.0.0", 'a', status: "Verified"));
        Assert.Equal("Unchanged", (await IntakeTestHost.BodyAsync(repeated)).GetProperty("outcome").GetString());

        var otherArtifact = await host.PostAsync("api/releases", Payloads.Release("1.0.0", 'f', status: "Verified"));
        var problem = await IntakeTestHost.ProblemAsync(otherArtifact, HttpStatusCode.Conflict);
        Assert.Contains("immutable", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(IntakeTestHost.Digest('a'), (await host.Ledger.GetAsync("shop", "1.0.0"))!.Artifact);

        await Task.Delay(5);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("api/releases", Payloads.Release("1.1.0", 'b', status: "Deployed"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync("api/releases", Payloads.Release("0.9.0-hotfix", 'c', status: "Failed"))).StatusCode);
        var failedToVerified = await host.PostAsync("api/releases", Payloads.Release("0.9.0-hotfix", 'c', status: "Verified"));
        await IntakeTestHost.ProblemAsync(failedToVerified, HttpStatusCode.Conflict);

        var ledger = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/releases/shop"));
        var versions = ledger.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("version").GetString()).ToList();
        Assert.Equal(["0.9.0-hotfix", "1.1.0", "1.0.0"], versions);

        var state = await host.Components.GetAsync("shop");
        Assert.Equal("1.1.0", state.CurrentVersion);
        Assert.Equal("1.0.0", state.LastKnownGoodVersion);
    }

    [Fact]
    public async Task Section5_rollback_plan_is_a_dry_run_naming_the_target_and_every_precondition_and_changes_nothing()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var entities = await host.EntityCountAsync();

        var response = await host.Http.GetAsync("api/components/shop/rollback-plan");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await IntakeTestHost.BodyAsync(response);
        Assert.True(plan.GetProperty("accepted").GetBoolean());
        Assert.Equal("1.1.0", plan.GetProperty("target").GetProperty("version").GetString());
        Assert.Equal("1.2.0", plan.GetProperty("currentVersion").GetString());
        var checks = plan.GetProperty("preconditions").EnumerateArray().ToList();
        Assert.True(checks.Count >= 5);
        Assert.All(checks, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("reason").GetString())));

        var unverified = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/rollback-plan?targetVersion=1.2.0"));
        Assert.False(unverified.GetProperty("accepted").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(unverified.GetProperty("rejectionReason").GetString()));

        Assert.Equal(entities, await host.EntityCountAsync());
        Assert.Equal(0, await host.InstanceCountAsync());
        Assert.Null((await host.Components.GetAsync("shop")).ActiveRollbackId);
    }

    [Fact]
    public async Task Status_of_a_scheduled_rollback_whose_audit_has_not_caught_up_answers_from_the_orchestration_instead_of_404()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var receivedAt = DateTimeOffset.UtcNow;
        var request = new RollbackRequest("shop-audit-lags-1", "shop", "1.1.0",
            new RollbackTrigger(TriggerReason.RuntimeDeviation, TriggerSource.Pipeline, "corr-lag", receivedAt, "pipeline", "p99 4 s"));

        // An orchestration that writes no audit at all: only the instance and its input exist.
        await host.Client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", request, new Microsoft.DurableTask.StartOrchestrationOptions(request.RollbackId));
        var response = await host.Http.GetAsync($"api/rollbacks/{request.RollbackId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await IntakeTestHost.BodyAsync(response);
        Assert.Equal("orchestration", view.GetProperty("source").GetString());
        Assert.Equal("shop", view.GetProperty("component").GetString());
        Assert.Equal("RuntimeDeviation", view.GetProperty("trigger").GetProperty("reason").GetString());
        Assert.Equal("1.1.0", view.GetProperty("requestedTargetVersion").GetString());
        Assert.Equal(receivedAt.AddSeconds(30), view.GetProperty("deadline").GetDateTimeOffset());
    }

    [Fact]
    public async Task Status_between_the_plan_and_the_first_audit_row_shows_the_whole_target_from_the_orchestration()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var request = new RollbackRequest("shop-planned-1", "shop", null,
            new RollbackTrigger(TriggerReason.HealthDegraded, TriggerSource.AzureMonitorAlert, "alert-planned", DateTimeOffset.UtcNow, "monitor", null));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(IntakeTestHost.PlannedBeforeAnyAudit, request, new Microsoft.DurableTask.StartOrchestrationOptions(request.RollbackId));

        var view = await host.WaitForPhaseAsync(request.RollbackId, RollbackPhase.Deploying, TimeSpan.FromSeconds(20));

        Assert.Equal("orchestration", view.GetProperty("source").GetString());
        Assert.Equal("1.2.0", view.GetProperty("fromVersion").GetString());
        Assert.Equal("1.1.0", view.GetProperty("targetVersion").GetString());
        Assert.Equal("registry.example/shop@" + IntakeTestHost.Digest('b'), view.GetProperty("targetArtifact").GetString());
        Assert.Equal("deployment-7", view.GetProperty("deploymentId").GetString());
    }

    [Fact]
    public async Task History_read_right_after_a_trigger_lists_the_started_rollback_before_its_first_audit_row()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var request = new RollbackRequest("shop-just-started-1", "shop", null,
            new RollbackTrigger(TriggerReason.HealthDegraded, TriggerSource.EventGrid, "ev-just-started", DateTimeOffset.UtcNow, "events", null));

        // As the starter leaves it between schedule and pin: claimed and scheduled, no audit row yet.
        Assert.Equal(ClaimOutcome.Claimed, (await host.Components.TryClaimAsync("shop", request.RollbackId, request)).Outcome);
        Assert.True(await host.Components.MarkScheduledAsync("shop", request.RollbackId));

        foreach (var path in new[] { "api/rollbacks?component=shop&limit=1", "api/rollbacks" })
        {
            var list = await IntakeTestHost.BodyAsync(await host.Http.GetAsync(path));
            var first = list.GetProperty("rollbacks")[0];
            Assert.Equal(request.RollbackId, first.GetProperty("rollbackId").GetString());
            Assert.Equal("HealthDegraded", first.GetProperty("trigger").GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task History_lists_rollbacks_newest_first_per_component_with_a_limit()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        await host.SeedReleasesAsync(IntakeTestHost.OtherComponent);

        var shop = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "p" }));
        var cart = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "cart", reason = "HealthDegraded", requestedBy = "p" }));
        await host.WaitForPhaseAsync(shop.GetProperty("rollbackId").GetString()!, RollbackPhase.AwaitingConfirmation);
        await host.WaitForPhaseAsync(cart.GetProperty("rollbackId").GetString()!, RollbackPhase.AwaitingConfirmation);

        var all = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/rollbacks"));
        var ids = all.GetProperty("rollbacks").EnumerateArray().Select(r => r.GetProperty("rollbackId").GetString()).ToList();
        Assert.Equal([cart.GetProperty("rollbackId").GetString(), shop.GetProperty("rollbackId").GetString()], ids);

        var onlyShop = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/rollbacks?component=shop&limit=5"));
        var listed = Assert.Single(onlyShop.GetProperty("rollbacks").EnumerateArray());
        Assert.Equal("shop", listed.GetProperty("component").GetString());
        Assert.Equal("HealthDegraded", listed.GetProperty("trigger").GetProperty("reason").GetString());

        var limited = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/rollbacks?limit=1"));
        Assert.Single(limited.GetProperty("rollbacks").EnumerateArray());

        // The status route's phase is live from the orchestration; the component's active phase is the audit's, whose
        // row for this batch may land a moment later under load.
        var cartId = cart.GetProperty("rollbackId").GetString()!;
        for (var tries = 0; tries < 100 && (await host.Audit.GetRollbackAsync(cartId))?.Phase != RollbackPhase.AwaitingConfirmation; tries++)
        {
            await Task.Delay(50);
        }

        var component = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/cart"));
        Assert.Equal(cartId, component.GetProperty("activeRollback").GetProperty("rollbackId").GetString());
        Assert.Equal("AwaitingConfirmation", component.GetProperty("activeRollback").GetProperty("phase").GetString());
        Assert.Equal("1.2.0", component.GetProperty("currentVersion").GetString());
    }

    [Fact]
    public async Task Every_route_but_the_handshake_needs_a_key_in_the_header_or_the_code_parameter()
    {
        await using var host = await IntakeTestHost.StartAsync();

        foreach (var (method, path) in new[]
        {
            ("POST", "api/alerts"), ("POST", "api/events"), ("POST", "api/rollbacks"), ("POST", "api/releases"),
            ("GET", "api/rollbacks/x-1"), ("GET", "api/rollbacks"), ("GET", "api/components/shop"), ("GET", "api/components/shop/rollback-plan"),
            ("GET", "api/releases/shop"), ("POST", "api/rollbacks/x-1/confirm"), ("POST", "api/components/shop/unfreeze"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? IntakeTestHost.Json("{}") : null };
            await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(request), HttpStatusCode.Unauthorized);

            using var wrongKey = new HttpRequestMessage(new HttpMethod(method), path + "?code=wrong") { Content = method == "POST" ? IntakeTestHost.Json("{}") : null };
            await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(wrongKey), HttpStatusCode.Unauthorized);
        }

        var withCode = await host.Anonymous.GetAsync($"api/components/shop?code={IntakeTestHost.ApiKey}");
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
        Assert.Equal(0, await host.EntityCountAsync());
    }
}
