using System.Net;
using System.Text.Json;
using RollbackFunctions.Domain;
using RollbackFunctions.Readiness;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Readiness;

/// <summary><c>GET /api/readiness</c> over real HTTP, Azurite and the real workflow (API.md "Readiness and drills").</summary>
public sealed class ReadinessRouteTests
{
    [Fact]
    public async Task Readiness_of_a_component_without_a_Verified_target_is_not_ready_and_names_the_failing_precondition()
    {
        await using var host = await IntakeTestHost.StartAsync();

        // shop: only Deployed releases before the current one; cart: nothing in the ledger.
        await host.Ledger.RecordAsync("shop", "2.0.0", IntakeTestHost.Digest('a'), ReleaseStatus.Deployed, "7", null);
        await Task.Delay(5);
        await host.Ledger.RecordAsync("shop", "2.1.0", IntakeTestHost.Digest('b'), ReleaseStatus.Deployed, "7", null);
        await host.Components.RecordDeployedVersionAsync("shop", "2.1.0", verified: false);

        var readiness = await ReadinessAsync(host);

        var components = readiness.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["cart", "shop"], components.Select(c => c.GetProperty("component").GetString()));
        Assert.Equal(0, readiness.GetProperty("readyCount").GetInt32());
        var shop = components.Single(c => c.GetProperty("component").GetString() == "shop");
        Assert.False(shop.GetProperty("ready").GetBoolean());
        Assert.Equal(JsonValueKind.Null, shop.GetProperty("target").ValueKind);
        Assert.Equal("TargetIdentified", shop.GetProperty("failingPrecondition").GetProperty("name").GetString());
        Assert.Contains("Verified", shop.GetProperty("failingPrecondition").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("2.1.0", shop.GetProperty("currentVersion").GetString());
        var cart = components.Single(c => c.GetProperty("component").GetString() == "cart");
        Assert.Equal("CurrentReleaseKnown", cart.GetProperty("failingPrecondition").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, cart.GetProperty("lastRollback").ValueKind);
        Assert.Equal(0, cart.GetProperty("recovery").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, cart.GetProperty("lastDrill").ValueKind);

        // The same verdict as the dry run, and the same gate as the gate route.
        var plan = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/rollback-plan"));
        Assert.False(plan.GetProperty("accepted").GetBoolean());
        Assert.Equal(plan.GetProperty("rejectionReason").GetString(), shop.GetProperty("failingPrecondition").GetProperty("reason").GetString());
        var gate = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/gate"));
        Assert.Equal(gate.GetRawText(), shop.GetProperty("gate").GetRawText());

        // Once a Verified target exists, the component is ready and names it.
        await host.Ledger.RecordAsync("shop", "2.0.0", IntakeTestHost.Digest('a'), ReleaseStatus.Verified, "7", null);
        var ready = (await ReadinessAsync(host)).GetProperty("components").EnumerateArray().Single(c => c.GetProperty("component").GetString() == "shop");
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.Equal("2.0.0", ready.GetProperty("target").GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, ready.GetProperty("failingPrecondition").ValueKind);
    }

    [Fact]
    public async Task Readiness_after_rollbacks_summarises_R_as_the_audit_records_it()
    {
        await using var host = await IntakeTestHost.StartAsync(settings =>
        {
            settings["Rollback:Components:shop:RequireOperatorConfirmation"] = "false";
            settings["Rollback:Cooldown"] = "00:00:00";
        });
        await host.SeedReleasesAsync();

        // Two rollbacks that succeed (a new broken release after each), then one whose deployment fails.
        var ids = new List<string>();
        for (var run = 0; run < 3; run++)
        {
            if (run > 0)
            {
                var release = await host.PostAsync("api/releases", new { component = "shop", version = $"1.{run + 2}.0", artifact = IntakeTestHost.Digest((char)('c' + run)), status = "Deployed", schemaVersion = "7" });
                Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
            }

            if (run == 2)
            {
                host.Api.DefaultScript = Simulators.DeploymentScript.Fail("drill of a broken pipeline");
            }

            var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "pipeline", correlationId = $"r-{run}" }));
            var id = accepted.GetProperty("rollbackId").GetString()!;
            var ended = await host.WaitForPhaseAsync(id, null);
            Assert.Equal(run == 2 ? "Failed" : "Succeeded", ended.GetProperty("outcome").GetString());
            ids.Add(id);
        }

        var shop = (await ReadinessAsync(host)).GetProperty("components").EnumerateArray().Single(c => c.GetProperty("component").GetString() == "shop");

        var audit = await host.Audit.ListAsync("shop", RecoverySummary.Window);
        Assert.Equal(3, audit.Count);
        var times = audit.Where(r => r.RecoverySeconds is not null).Select(r => r.RecoverySeconds!.Value).Order().ToList();
        Assert.Equal(2, times.Count);
        var recovery = shop.GetProperty("recovery");
        Assert.Equal(3, recovery.GetProperty("count").GetInt32());
        Assert.Equal(2, recovery.GetProperty("measured").GetInt32());
        Assert.Equal(times[0], recovery.GetProperty("p50Seconds").GetDouble(), 6);
        Assert.Equal(times[1], recovery.GetProperty("p90Seconds").GetDouble(), 6);
        Assert.Equal(times[1], recovery.GetProperty("maxSeconds").GetDouble(), 6);
        Assert.Equal(audit.Count(r => r.Phase == RollbackPhase.TimedOut), recovery.GetProperty("timedOut").GetInt32());

        var last = shop.GetProperty("lastRollback");
        Assert.Equal(ids[2], last.GetProperty("id").GetString());
        Assert.Equal(audit[0].RollbackId, last.GetProperty("id").GetString());
        Assert.Equal("Failed", last.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("recoverySeconds").ValueKind);

        // The failed rollback froze shop: not ready, and the gate says why.
        Assert.False(shop.GetProperty("ready").GetBoolean());
        Assert.Equal("NotFrozen", shop.GetProperty("failingPrecondition").GetProperty("name").GetString());
        Assert.False(shop.GetProperty("gate").GetProperty("open").GetBoolean());
    }

    private static async Task<JsonElement> ReadinessAsync(IntakeTestHost host)
    {
        var response = await host.Http.GetAsync("api/readiness");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await IntakeTestHost.BodyAsync(response);
    }
}
