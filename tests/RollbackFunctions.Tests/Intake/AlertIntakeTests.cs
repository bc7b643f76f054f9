using System.Net;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Tests.Intake;

public sealed class AlertIntakeTests
{
    [Fact]
    public async Task Section3_fired_alert_starts_one_rollback_and_action_group_retries_of_its_alert_id_return_the_same()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var alertId = Payloads.AlertId("a1");

        var first = await host.PostAsync("api/alerts", Payloads.Alert(alertId));
        var second = await host.PostAsync("api/alerts", Payloads.Alert(alertId));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var body = await IntakeTestHost.BodyAsync(first);
        var rollbackId = body.GetProperty("rollbackId").GetString()!;
        Assert.Equal("Started", body.GetProperty("outcome").GetString());
        Assert.Equal($"/api/rollbacks/{rollbackId}", body.GetProperty("statusUri").GetString());
        Assert.Equal($"/api/rollbacks/{rollbackId}", first.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var repeat = await IntakeTestHost.BodyAsync(second);
        Assert.Equal(rollbackId, repeat.GetProperty("rollbackId").GetString());
        Assert.Equal("Duplicate", repeat.GetProperty("outcome").GetString());
        Assert.Equal(1, await host.InstanceCountAsync());

        var status = await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);
        var trigger = status.GetProperty("trigger");
        Assert.Equal("HealthDegraded", trigger.GetProperty("reason").GetString());
        Assert.Equal("AzureMonitorAlert", trigger.GetProperty("source").GetString());
        Assert.Equal(alertId, trigger.GetProperty("triggerId").GetString());
        Assert.Contains("shop-5xx-rate", trigger.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal("1.1.0", status.GetProperty("targetVersion").GetString());
        Assert.Equal("1.2.0", status.GetProperty("fromVersion").GetString());
    }

    [Fact]
    public async Task Distinct_alerts_for_a_component_with_an_active_rollback_join_it()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();

        var first = await IntakeTestHost.BodyAsync(await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("b1"))));
        var other = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("b2"), reason: "RuntimeDeviation"));

        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        var joined = await IntakeTestHost.BodyAsync(other);
        Assert.Equal("Joined", joined.GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("rollbackId").GetString(), joined.GetProperty("rollbackId").GetString());
        Assert.Equal(1, await host.InstanceCountAsync());
    }

    [Fact]
    public async Task Alert_without_a_component_property_is_mapped_through_its_target_resource_and_names_its_reason()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync(IntakeTestHost.OtherComponent);
        await host.SeedReleasesAsync();

        // cart is found through its own ResourceIds (no AlertTargets entry), and the rule names a section-3 reason.
        var response = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("c1"), component: null, targets: [IntakeTestHost.CartResourceId.ToUpperInvariant()]));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await IntakeTestHost.BodyAsync(response);
        Assert.Equal(IntakeTestHost.OtherComponent, body.GetProperty("component").GetString());
        var status = await host.WaitForPhaseAsync(body.GetProperty("rollbackId").GetString()!, RollbackPhase.AwaitingConfirmation);
        Assert.Equal(IntakeTestHost.OtherComponent, status.GetProperty("component").GetString());

        var withReason = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("c2"), component: null, reason: "SmokeTestsFailed"));
        Assert.Equal(HttpStatusCode.Accepted, withReason.StatusCode);
        var shop = await IntakeTestHost.BodyAsync(withReason);
        Assert.Equal(IntakeTestHost.Component, shop.GetProperty("component").GetString());
        var shopStatus = await host.WaitForPhaseAsync(shop.GetProperty("rollbackId").GetString()!, RollbackPhase.AwaitingConfirmation);
        Assert.Equal("SmokeTestsFailed", shopStatus.GetProperty("trigger").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Resolved_alert_is_recorded_and_starts_nothing()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var alertId = Payloads.AlertId("d1");

        var response = await host.PostAsync("api/alerts", Payloads.Alert(alertId, condition: "Resolved"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await IntakeTestHost.BodyAsync(response);
        Assert.Equal("Resolved", body.GetProperty("monitorCondition").GetString());
        Assert.Equal(0, await host.InstanceCountAsync());
        var signal = Assert.Single(await host.Signals.ListAsync(IntakeTestHost.Component, CancellationToken.None));
        Assert.Equal("alert-resolved", signal.Kind);
        Assert.Equal(alertId, signal.Key);
        Assert.Equal("shop-5xx-rate", signal.Fields["AlertRule"]);
    }

    [Fact]
    public async Task Alert_that_maps_to_no_component_is_422_and_a_frozen_component_is_409()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var unmapped = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("e1"), component: null, targets: ["/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/unknown"]));
        var problem = await IntakeTestHost.ProblemAsync(unmapped, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("data.essentials.alertTargetIDs", out _));

        var unknown = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("e2"), component: "billing"));
        await IntakeTestHost.ProblemAsync(unknown, HttpStatusCode.UnprocessableEntity);

        await host.Components.FreezeAsync(IntakeTestHost.Component, "rb-earlier", "deployment failed");
        var frozen = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("e3")));
        var frozenProblem = await IntakeTestHost.ProblemAsync(frozen, HttpStatusCode.Conflict);
        Assert.Contains("unfreeze", frozenProblem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.InstanceCountAsync());
    }
}
