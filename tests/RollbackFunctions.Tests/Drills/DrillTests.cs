using Microsoft.DurableTask.Client;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Domain;
using RollbackFunctions.Drills;
using RollbackFunctions.Readiness;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Drills;

/// <summary>
/// Rollback drills (API.md "Readiness and drills") on the real Durable Task engine, Azurite and the loopback
/// deployment simulator, over real HTTP.
/// </summary>
public sealed class DrillTests
{
    [Fact]
    public async Task A_drill_that_succeeds_records_R_and_leaves_the_component_gate_and_ledger_unchanged()
    {
        var notifications = new RecordingReadinessNotifications();
        await using var host = await StartAsync(notifications);
        await host.SeedReleasesAsync();
        var before = await SnapshotAsync(host);

        var response = await host.PostAsync("api/drills", new { component = "shop", requestedBy = "ops@example.test" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await IntakeTestHost.BodyAsync(response);
        var drillId = accepted.GetProperty("drillId").GetString()!;
        Assert.Equal($"/api/drills/{drillId}", accepted.GetProperty("statusUri").GetString());
        Assert.Equal($"/api/drills/{drillId}", response.Headers.Location?.OriginalString);

        var drill = await WaitForDrillEndAsync(host, drillId);
        Assert.Equal("Succeeded", drill.GetProperty("outcome").GetString());
        Assert.Equal("1.1.0", drill.GetProperty("targetVersion").GetString());
        Assert.Equal("1.2.0", drill.GetProperty("fromVersion").GetString());
        Assert.Equal("drill-env", drill.GetProperty("provider").GetString());
        var r = drill.GetProperty("recoverySeconds").GetDouble();
        Assert.InRange(r, 0.001, drill.GetProperty("budgetSeconds").GetDouble());
        Assert.Equal("Drill", drill.GetProperty("trigger").GetProperty("source").GetString());
        var steps = drill.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("DeploymentStarted", steps);
        Assert.Contains("Verified", steps);
        Assert.DoesNotContain("VersionMarkedRolledBack", steps);

        // The deployment went to the drill environment as a drill; the drill probes were probed, production's not.
        var start = Assert.Single(host.Api.Requests, q => q.Method == "POST" && q.Path == "/deployments");
        using (var body = JsonDocument.Parse(start.Body!))
        {
            Assert.Equal("drill", body.RootElement.GetProperty("mode").GetString());
            Assert.Equal(drillId, body.RootElement.GetProperty("idempotencyKey").GetString());
        }

        Assert.True(host.Endpoints.Hits("/drill/shop/smoke") > 0);
        Assert.True(host.Endpoints.Hits("/drill/shop/health") > 0);
        Assert.Equal(0, host.Endpoints.Hits("/shop/smoke"));

        // Nothing of the component changed: its view, its gate, its ledger; no rollback, no incident.
        Assert.Equal(before, await SnapshotAsync(host));
        Assert.Empty(host.Incidents.Attempts);
        var rollbacks = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/rollbacks?component=shop"));
        Assert.Equal(0, rollbacks.GetProperty("rollbacks").GetArrayLength());
        await IntakeTestHost.ProblemAsync(await host.Http.GetAsync($"api/rollbacks/{drillId}"), HttpStatusCode.NotFound);

        // Listed as a drill, shown by readiness as the last drill, and announced once.
        var drills = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/drills?component=shop"));
        var listed = Assert.Single(drills.GetProperty("drills").EnumerateArray());
        Assert.Equal(drillId, listed.GetProperty("rollbackId").GetString());
        Assert.Equal($"/api/drills/{drillId}", listed.GetProperty("statusUri").GetString());
        var readiness = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/readiness"));
        var shop = readiness.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("component").GetString() == "shop");
        Assert.Equal(drillId, shop.GetProperty("lastDrill").GetProperty("id").GetString());
        Assert.Equal(r, shop.GetProperty("lastDrill").GetProperty("recoverySeconds").GetDouble(), 6);
        Assert.Equal(0, shop.GetProperty("recovery").GetProperty("count").GetInt32());
        var ended = Assert.Single(notifications.Drills);
        Assert.Equal((drillId, RollbackPhase.Succeeded), (ended.DrillId, ended.Outcome));
        Assert.Equal(r, ended.RecoverySeconds!.Value, 6);
    }

    [Fact]
    public async Task A_drill_whose_deployment_fails_ends_Failed_without_freezing_and_the_gate_stays_open()
    {
        var notifications = new RecordingReadinessNotifications();
        await using var host = await StartAsync(notifications);
        await host.SeedReleasesAsync();
        host.Api.ScriptFor("shop", DeploymentScript.Fail("drill environment broken"));
        var before = await SnapshotAsync(host);

        var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/drills", new { component = "shop" }));
        var drillId = accepted.GetProperty("drillId").GetString()!;
        var drill = await WaitForDrillEndAsync(host, drillId);

        Assert.Equal("Failed", drill.GetProperty("outcome").GetString());
        Assert.Contains("drill environment broken", drill.GetProperty("outcomeReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, drill.GetProperty("recoverySeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, drill.GetProperty("escalation").ValueKind);
        var gate = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/gate"));
        Assert.True(gate.GetProperty("open").GetBoolean());
        var component = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.False(component.GetProperty("frozen").GetBoolean());
        Assert.Equal(before, await SnapshotAsync(host));
        Assert.Empty(host.Incidents.Attempts);
        var ended = Assert.Single(notifications.Drills);
        Assert.Equal(RollbackPhase.Failed, ended.Outcome);

        // A real rollback is still accepted: the drill did not make the component busy, frozen or cooling down.
        var plan = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/rollback-plan"));
        Assert.True(plan.GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task A_drill_is_refused_for_a_component_without_a_drill_environment()
    {
        await using var host = await StartAsync(new RecordingReadinessNotifications());
        await host.SeedReleasesAsync("cart");

        var refused = await IntakeTestHost.ProblemAsync(await host.PostAsync("api/drills", new { component = "cart" }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Rollback:Components:cart:Drill", refused.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(refused.GetProperty("errors").TryGetProperty("component", out _));
        await IntakeTestHost.ProblemAsync(await host.PostAsync("api/drills", new { component = "nowhere" }), HttpStatusCode.UnprocessableEntity);
        await IntakeTestHost.ProblemAsync(await host.Http.PostAsync("api/drills", IntakeTestHost.Json("{\"component\": 7}")), HttpStatusCode.BadRequest);
        await IntakeTestHost.ProblemAsync(await host.Http.GetAsync("api/drills/no-such-drill"), HttpStatusCode.NotFound);

        Assert.Equal(0, host.Api.DeploymentsCreated);
        Assert.Equal(0, await host.InstanceCountAsync());
    }

    internal static Task<IntakeTestHost> StartAsync(RecordingReadinessNotifications notifications, Action<Dictionary<string, string?>>? configure = null) => IntakeTestHost.StartAsync(
        settings =>
        {
            AddDrillEnvironment(settings);
            configure?.Invoke(settings);
        },
        (services, _) => services.AddSingleton<IReadinessNotifications>(notifications));

    /// <summary>shop gets a drill environment: its own provider entry on the simulator and probes under /drill/shop.</summary>
    internal static void AddDrillEnvironment(Dictionary<string, string?> settings)
    {
        settings["Rollback:Providers:drill-env:Type"] = "Generic";
        settings["Rollback:Providers:drill-env:Generic:BaseUrl"] = settings["Rollback:Providers:platform:Generic:BaseUrl"];
        settings["Rollback:Providers:drill-env:Generic:StaticHeader"] = settings["Rollback:Providers:platform:Generic:StaticHeader"];
        var smoke = new Uri(settings["Rollback:Components:shop:SmokeProbes:0:Url"]!);
        settings["Rollback:Components:shop:Drill:Provider"] = "drill-env";
        settings["Rollback:Components:shop:Drill:SmokeProbes:0:Name"] = "home";
        settings["Rollback:Components:shop:Drill:SmokeProbes:0:Url"] = new Uri(smoke, "/drill/shop/smoke").AbsoluteUri;
        settings["Rollback:Components:shop:Drill:HealthChecks:0:Name"] = "health";
        settings["Rollback:Components:shop:Drill:HealthChecks:0:Url"] = new Uri(smoke, "/drill/shop/health").AbsoluteUri;
        settings["Rollback:Components:shop:Drill:HealthChecks:0:BodyContains"] = "Healthy";
    }

    internal static async Task<JsonElement> WaitForDrillEndAsync(IntakeTestHost host, string drillId)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement last = default;
        while (DateTime.UtcNow < until)
        {
            var response = await host.Http.GetAsync($"api/drills/{drillId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = await IntakeTestHost.BodyAsync(response);
            if (last.GetProperty("outcome").ValueKind != JsonValueKind.Null)
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"drill {drillId} did not end: {last}");
    }

    /// <summary>The component view, the gate and the ledger, as their routes answer.</summary>
    private static async Task<(string Component, string Gate, string Ledger)> SnapshotAsync(IntakeTestHost host) => (
        await host.Http.GetStringAsync("api/components/shop"),
        await host.Http.GetStringAsync("api/components/shop/gate"),
        await host.Http.GetStringAsync("api/releases/shop"));
}

/// <summary>Records what the readiness seam is told, in order.</summary>
internal sealed class RecordingReadinessNotifications : IReadinessNotifications
{
    private readonly ConcurrentQueue<ReadinessChange> _changes = new();
    private readonly ConcurrentQueue<DrillEnded> _drills = new();

    public IReadOnlyList<ReadinessChange> Changes => [.. _changes];

    public IReadOnlyList<DrillEnded> Drills => [.. _drills];

    public Task ReadinessChangedAsync(DurableTaskClient client, ReadinessChange change, CancellationToken cancellationToken)
    {
        _changes.Enqueue(change);
        return Task.CompletedTask;
    }

    public Task DrillEndedAsync(DurableTaskClient client, DrillEnded drill, CancellationToken cancellationToken)
    {
        _drills.Enqueue(drill);
        return Task.CompletedTask;
    }
}
