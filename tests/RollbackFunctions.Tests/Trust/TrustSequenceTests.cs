using System.Net;
using System.Text.Json;
using RollbackFunctions.Domain;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Trust;

/// <summary>
/// Issue 14's sequences through real HTTP on the intake host (real handlers, the in-process durable engine, Azurite,
/// the loopback deployment API and incident sink): a rollback never turns one incident into two.
/// </summary>
public sealed class TrustSequenceTests
{
    private const string Unhealthy = "Still unhealthy after rollback";

    [Fact]
    public async Task Sequence1_the_version_rolled_back_from_is_known_bad_and_the_next_rollback_skips_it()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await ReleaseAsync(host, "1.0.0", 'a', "Deployed", "Verified");
        await ReleaseAsync(host, "1.1.0", 'b', "Deployed", "Verified");

        // v2 (1.1.0) degrades: the alert rolls it back to v1.
        var first = await RollBackAsync(host, await AlertAsync(host, "seq1-a", DateTimeOffset.UtcNow), expectedTarget: "1.0.0");
        var ledger = await ReleasesAsync(host);
        Assert.Equal("RolledBack", ledger["1.1.0"].GetProperty("status").GetString());
        // The ledger route's view (ReleaseHandler, not this change's) shows the status; the record carries the rollback id.
        Assert.Equal(first, (await host.Ledger.GetAsync(IntakeTestHost.Component, "1.1.0"))!.RolledBackBy);
        var timeline = (await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{first}"))).GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.True(timeline.IndexOf("VersionMarkedRolledBack") < timeline.IndexOf("DeploymentRequested"), string.Join(", ", timeline));

        // A pipeline cannot call it healthy again.
        await IntakeTestHost.ProblemAsync(await host.PostAsync("api/releases", Payloads.Release("1.1.0", 'b', "Verified")), HttpStatusCode.Conflict);

        // v3 is deployed (which ends the cooldown) and fails: the next rollback pins v1, never the known-bad v2.
        await ReleaseAsync(host, "1.2.0", 'c', "Deployed");
        var plan = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/rollback-plan"));
        Assert.Equal("1.0.0", plan.GetProperty("target").GetProperty("version").GetString());
        var second = await RollBackAsync(host, await AlertAsync(host, "seq1-b", DateTimeOffset.UtcNow), expectedTarget: "1.0.0");
        Assert.NotEqual(first, second);
        Assert.Equal("RolledBack", (await ReleasesAsync(host))["1.2.0"].GetProperty("status").GetString());
        Assert.Equal(second, (await host.Ledger.GetAsync(IntakeTestHost.Component, "1.2.0"))!.RolledBackBy);
        Assert.Equal(2, host.Api.DeploymentsCreated);
    }

    [Fact]
    public async Task Sequence2_a_second_alert_after_a_success_is_cooldown_or_stale_escalates_once_and_deploys_nothing()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await ReleaseAsync(host, "0.9.0", 'd', "Deployed", "Verified");
        await ReleaseAsync(host, "1.0.0", 'a', "Deployed", "Verified");
        await ReleaseAsync(host, "1.1.0", 'b', "Deployed", "Verified");
        var first = await RollBackAsync(host, await AlertAsync(host, "rule-1", DateTimeOffset.UtcNow), expectedTarget: "1.0.0");
        var endedAt = (await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{first}"))).GetProperty("endedAt").GetDateTimeOffset();
        var deployments = host.Api.DeploymentsCreated;

        // The second rule fires two minutes after the rollback ended, with a new alert id: Cooldown, escalated once.
        var cooldown = await AlertAsync(host, "rule-2", endedAt.AddMinutes(2));
        Assert.Equal(HttpStatusCode.OK, cooldown.StatusCode);
        var answer = await IntakeTestHost.BodyAsync(cooldown);
        Assert.Equal("Cooldown", answer.GetProperty("outcome").GetString());
        Assert.Equal(first, answer.GetProperty("rollbackId").GetString());
        Assert.Contains(first, answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Single(host.Incidents.Accepted, d => d.Text("reason")?.Contains(Unhealthy, StringComparison.Ordinal) == true);

        // Its retry answers the same; a third rule, an event and a pipeline are late too; none escalates again.
        var retry = await IntakeTestHost.BodyAsync(await AlertAsync(host, "rule-2", endedAt.AddMinutes(2)));
        Assert.Equal("Cooldown", retry.GetProperty("outcome").GetString());
        Assert.Equal("Cooldown", (await IntakeTestHost.BodyAsync(await AlertAsync(host, "rule-3", endedAt.AddMinutes(3)))).GetProperty("outcome").GetString());
        var events = await host.Http.PostAsync("api/events", IntakeTestHost.Json(new[]
        {
            Payloads.CloudEvent("late-event-1", "Rollback.Trigger.HealthDegraded", new { component = "shop" }),
        }, "application/cloudevents-batch+json"));
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        var applied = (await IntakeTestHost.BodyAsync(events)).GetProperty("applied")[0];
        Assert.Equal("Cooldown", applied.GetProperty("outcome").GetString());
        Assert.Equal(first, applied.GetProperty("rollbackId").GetString());
        var pipeline = await host.PostAsync("api/rollbacks", new { component = "shop", reason = "SmokeTestsFailed", requestedBy = "pipeline#7", correlationId = "late-run-7" });
        var problem = await IntakeTestHost.ProblemAsync(pipeline, HttpStatusCode.Conflict);
        Assert.Equal("Cooldown", problem.GetProperty("outcome").GetString());
        Assert.Single(host.Incidents.Accepted, d => d.Text("reason")?.Contains(Unhealthy, StringComparison.Ordinal) == true);

        var ended = await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{first}"));
        var late = ended.GetProperty("lateTriggers").EnumerateArray()
            .Select(t => t.GetProperty("trigger").GetProperty("triggerId").GetString()).ToList();
        Assert.Equal(4, late.Count);

        // The rollback shows the one escalation its late triggers raised (API.md Reading: "escalation if any").
        Assert.True(ended.GetProperty("escalation").GetProperty("delivered").GetBoolean());
        Assert.Equal(Payloads.AlertId("rule-2"), ended.GetProperty("lateEscalation").GetProperty("triggerId").GetString());
        Assert.Contains(Payloads.AlertId("rule-2"), late);
        Assert.Contains("late-event-1", late);

        // A rule that fired before the rollback ended is about the version rolled back from: Stale, recorded on the component.
        var stale = await AlertAsync(host, "rule-4", endedAt.AddMinutes(-2));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("Stale", (await IntakeTestHost.BodyAsync(stale)).GetProperty("outcome").GetString());

        // Nothing was deployed, and the healthy component is neither frozen nor rolled further back (the demo's case).
        Assert.Equal(deployments, host.Api.DeploymentsCreated);
        var component = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.False(component.GetProperty("frozen").GetBoolean());
        Assert.Equal("1.0.0", component.GetProperty("currentVersion").GetString());
        Assert.Equal(JsonValueKind.Null, component.GetProperty("activeRollback").ValueKind);
        var refused = component.GetProperty("refusedTriggers").EnumerateArray().ToList();
        var staleRow = Assert.Single(refused, r => r.GetProperty("outcome").GetString() == "Stale");
        Assert.Equal(Payloads.AlertId("rule-4"), staleRow.GetProperty("triggerId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(staleRow.GetProperty("reason").GetString()));
        Assert.Contains(refused, r => r.GetProperty("outcome").GetString() == "Cooldown" && r.GetProperty("rollbackId").GetString() == first);
        Assert.Single(host.Incidents.Accepted, d => d.Text("reason")?.Contains(Unhealthy, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_cooldown_ends_after_its_time_and_a_new_trigger_is_admitted_again()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => settings["Rollback:Cooldown"] = "00:00:02");
        await ReleaseAsync(host, "0.9.0", 'd', "Deployed", "Verified");
        await ReleaseAsync(host, "1.0.0", 'a', "Deployed", "Verified");
        await ReleaseAsync(host, "1.1.0", 'b', "Deployed", "Verified");
        var first = await RollBackAsync(host, await AlertAsync(host, "short-1", DateTimeOffset.UtcNow), expectedTarget: "1.0.0");
        var endedAt = (await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{first}"))).GetProperty("endedAt").GetDateTimeOffset();
        var wait = endedAt.AddSeconds(2.5) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var admitted = await AlertAsync(host, "short-2", DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
        Assert.NotEqual(first, (await IntakeTestHost.BodyAsync(admitted)).GetProperty("rollbackId").GetString());
        Assert.DoesNotContain(host.Incidents.Accepted, d => d.Text("reason")?.Contains(Unhealthy, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_component_view_shows_the_cooldown_in_force_and_the_triggers_it_refused()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await ReleaseAsync(host, "1.0.0", 'a', "Deployed", "Verified");
        await ReleaseAsync(host, "1.1.0", 'b', "Deployed", "Verified");
        var before = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("cooldown").ValueKind);

        var first = await RollBackAsync(host, await AlertAsync(host, "view-1", DateTimeOffset.UtcNow), expectedTarget: "1.0.0");
        var endedAt = (await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{first}"))).GetProperty("endedAt").GetDateTimeOffset();
        Assert.Equal(HttpStatusCode.OK, (await AlertAsync(host, "view-2", endedAt.AddMinutes(1))).StatusCode);

        var view = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        var cooldown = view.GetProperty("cooldown");
        Assert.Equal(first, cooldown.GetProperty("rollbackId").GetString());
        Assert.Equal(endedAt.AddMinutes(15), cooldown.GetProperty("until").GetDateTimeOffset());
        Assert.Contains(first, cooldown.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var refused = Assert.Single(view.GetProperty("refusedTriggers").EnumerateArray());
        Assert.Equal("Cooldown", refused.GetProperty("outcome").GetString());
        Assert.Contains("view-2", refused.GetProperty("triggerId").GetString(), StringComparison.Ordinal);

        // A new Deployed release ends the cooldown: the view says so at once.
        await ReleaseAsync(host, "1.2.0", 'c', "Deployed");
        Assert.Equal(JsonValueKind.Null, (await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"))).GetProperty("cooldown").ValueKind);
    }

    internal static async Task ReleaseAsync(IntakeTestHost host, string version, char digit, params string[] statuses)
    {
        foreach (var status in statuses)
        {
            var response = await host.PostAsync("api/releases", Payloads.Release(version, digit, status));
            Assert.True(response.IsSuccessStatusCode, $"{version} {status}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // RecordedAt orders the ledger; keep releases strictly apart.
        await Task.Delay(5);
    }

    internal static Task<HttpResponseMessage> AlertAsync(IntakeTestHost host, string alert, DateTimeOffset firedAt)
    {
        var body = JsonSerializer.SerializeToNode(Payloads.Alert(Payloads.AlertId(alert)))!;
        body["data"]!["essentials"]!["firedDateTime"] = firedAt.ToString("O");
        return host.Http.PostAsync("api/alerts", IntakeTestHost.Json(body.ToJsonString()));
    }

    /// <summary>The alert started a rollback: it pins <paramref name="expectedTarget"/>, is confirmed, and succeeds.</summary>
    internal static async Task<string> RollBackAsync(IntakeTestHost host, HttpResponseMessage alert, string expectedTarget)
    {
        var text = await alert.Content.ReadAsStringAsync();
        Assert.True(alert.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)alert.StatusCode}: {text}");
        var rollbackId = JsonSerializer.Deserialize<JsonElement>(text).GetProperty("rollbackId").GetString()!;
        var awaiting = await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);
        Assert.Equal(expectedTarget, awaiting.GetProperty("targetVersion").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostAsync($"api/rollbacks/{rollbackId}/confirm", new { @operator = "oncall@example.test" })).StatusCode);
        var ended = await host.WaitForPhaseAsync(rollbackId, null);
        Assert.Equal("Succeeded", ended.GetProperty("outcome").GetString());
        return rollbackId;
    }

    private static async Task<Dictionary<string, JsonElement>> ReleasesAsync(IntakeTestHost host)
    {
        var ledger = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/releases/shop"));
        return ledger.GetProperty("releases").EnumerateArray().ToDictionary(r => r.GetProperty("version").GetString()!, r => r);
    }
}
