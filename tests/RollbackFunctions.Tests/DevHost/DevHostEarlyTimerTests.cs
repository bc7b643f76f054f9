using System.Globalization;
using System.Text.Json;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// Durable timers on the Azure Storage engine can fire up to about a second early (issue 12). Here the dev host's
/// in-memory engine is made to deliver every long timer two seconds early (<c>DurableEngine:InMemoryTimersFireEarlyBy</c>),
/// so the budget's timer wakes the orchestration before the deadline every time: the outcome must still not say the
/// budget ran out before it did.
/// </summary>
[Collection(nameof(DevHostProcessTests))]
public sealed class DevHostEarlyTimerTests
{
    [Fact]
    public async Task Section7_a_budget_timer_that_fires_early_does_not_end_the_rollback_TimedOut_before_its_deadline()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.RunForever();
        var environment = world.Environment(requireConfirmation: false);
        environment["DurableEngine__Mode"] = "InMemory";
        environment["DurableEngine__InMemoryTimersFireEarlyBy"] = "00:00:02";
        environment["Rollback__Budget"] = "00:00:08";
        await using var host = await DevHostProcess.StartAsync(world.Port, environment);
        await DevHostWorld.RecordReleasesAsync(host);

        var rollbackId = await DevHostWorld.FireAlertAsync(host);
        var ended = await host.WaitForPhaseAsync(rollbackId, "TimedOut", TimeSpan.FromSeconds(60));

        var deadline = Time(ended, "deadline");
        var endedAt = Time(ended, "endedAt");
        Assert.True(endedAt >= deadline, $"ended {endedAt:O}, {(deadline - endedAt).TotalMilliseconds:0} ms before the deadline {deadline:O}");
        Assert.True(endedAt - deadline < TimeSpan.FromSeconds(5), $"ended {(endedAt - deadline).TotalSeconds:0.0} s after the deadline");
        Assert.Equal("TimedOut", ended.GetProperty("outcome").GetString());
        Assert.Contains("budget of", ended.GetProperty("outcomeReason").GetString(), StringComparison.Ordinal);
        var steps = ended.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("DeploymentStarted", steps);
        Assert.DoesNotContain("Verified", steps);

        // The deployment still running at the end was cancelled, the component frozen, the incident raised.
        var deployment = Assert.Single(world.Deployments.Deployments);
        Assert.Equal((DevHostWorld.GoodVersion, rollbackId), (deployment.Version, deployment.IdempotencyKey));
        Assert.Equal([deployment.DeploymentId], world.Deployments.CancelledDeploymentIds);
        var component = await host.GetJsonAsync($"/api/components/{DevHostWorld.Component}");
        Assert.True(component.GetProperty("frozen").GetBoolean(), component.ToString());
        var incident = Assert.Single(world.Incidents.Attempts, d => d.Text("rollbackId") == rollbackId);
        Assert.Equal("TimedOut", incident.Text("outcome"));
    }

    private static DateTimeOffset Time(JsonElement rollback, string property) =>
        DateTimeOffset.Parse(rollback.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}
