using System.Net;
using System.Text.Json;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// The dev host started as a separate process from its build output, on the persistent engine (Durable Task Azure
/// Storage over Azurite), driven over HTTP as a pipeline, Azure Monitor and an operator would. One at a time: each runs
/// a whole host.
/// </summary>
[Collection(nameof(DevHostProcessTests))]
[CollectionDefinition(nameof(DevHostProcessTests), DisableParallelization = true)]
public sealed class DevHostProcessTests
{
    [Fact]
    public async Task DevHost_drives_a_rollback_from_an_Azure_Monitor_alert_to_Succeeded_over_HTTP()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.SucceedAfter(1);
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));

        // Function-level auth: no key, no answer.
        using (var anonymous = new HttpClient { BaseAddress = host.Http.BaseAddress })
        {
            using var refused = await anonymous.GetAsync(new Uri("/api/rollbacks", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await DevHostWorld.RecordReleasesAsync(host);
        var rollbackId = await DevHostWorld.FireAlertAsync(host);

        var awaiting = await host.WaitForPhaseAsync(rollbackId, "AwaitingConfirmation", TimeSpan.FromSeconds(60));
        Assert.Equal(DevHostWorld.GoodVersion, awaiting.GetProperty("targetVersion").GetString());
        var (confirmed, body) = await host.PostJsonAsync($"/api/rollbacks/{rollbackId}/confirm", new { @operator = "alice", note = "checkout works on 1.4.0" });
        Assert.True(confirmed is 200 or 202, $"confirm answered {confirmed}: {body}");

        var done = await host.WaitForPhaseAsync(rollbackId, "Succeeded", TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", done.GetProperty("outcome").GetString());
        Assert.Equal(DevHostWorld.BadVersion, done.GetProperty("fromVersion").GetString());
        Assert.Equal("alice", done.GetProperty("confirmedBy").GetString());
        var deployment = Assert.Single(world.Deployments.Deployments);
        Assert.Equal((DevHostWorld.Component, DevHostWorld.GoodVersion, DevHostWorld.Artifact('1'), rollbackId), (deployment.Component, deployment.Version, deployment.Artifact, deployment.IdempotencyKey));
        Assert.Empty(world.Incidents.Attempts);
    }

    [Fact]
    public async Task Section6_DevHost_killed_with_SIGKILL_while_deploying_resumes_after_restart_with_exactly_one_deployment()
    {
        await using var world = await DevHostWorld.CreateAsync();

        // Several seconds of deployment: the kill lands in the middle of it.
        world.Deployments.DefaultScript = DevHostWorld.SlowDeployment;
        var environment = world.Environment(requireConfirmation: false, DevHostWorld.SlowPollInterval);
        string rollbackId;
        await using (var first = await DevHostProcess.StartAsync(world.Port, environment))
        {
            await DevHostWorld.RecordReleasesAsync(first);
            rollbackId = await DevHostWorld.FireAlertAsync(first);
            // The deployment API's view is the signal: the status route's phase follows the audit, written in batches.
            await WaitUntilAsync(() => world.Deployments.DeploymentsCreated == 1, TimeSpan.FromSeconds(60), "the deployment API never saw the deployment");
            await first.KillAsync();
        }

        Assert.True(world.Deployments.StatusRequests < 4, "the kill was meant to land while the deployment was running (the 4th poll answers Succeeded)");

        await using var second = await DevHostProcess.StartAsync(world.Port, environment);

        // Recovery waits for the killed process's leases and invisible messages (DurableEngine visibility timeouts).
        var done = await second.WaitForPhaseAsync(rollbackId, "Succeeded", TimeSpan.FromSeconds(120));

        Assert.Equal(1, world.Deployments.DeploymentsCreated);
        var deployment = Assert.Single(world.Deployments.Deployments);
        Assert.Equal((DevHostWorld.GoodVersion, rollbackId), (deployment.Version, deployment.IdempotencyKey));
        AssertCompleteAudit(done);
    }

    [Fact]
    public async Task Section6_DevHost_stops_on_SIGTERM_within_10_seconds_and_loses_nothing()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DevHostWorld.SlowDeployment;
        var environment = world.Environment(requireConfirmation: true, DevHostWorld.SlowPollInterval);
        string rollbackId;
        await using (var first = await DevHostProcess.StartAsync(world.Port, environment))
        {
            await DevHostWorld.RecordReleasesAsync(first);
            rollbackId = await DevHostWorld.FireAlertAsync(first);
            await WaitUntilAsync(() => world.Deployments.DeploymentsCreated == 1, TimeSpan.FromSeconds(60), "the deployment API never saw the deployment");
            Assert.True(world.Deployments.StatusRequests < 4, "SIGTERM was meant to land while the deployment was running");

            var took = await first.TerminateAsync(TimeSpan.FromSeconds(15));
            Assert.True(first.HasExited, $"still running {took.TotalSeconds:0.0} s after SIGTERM\n{first.Tail()}");
            Assert.True(took <= TimeSpan.FromSeconds(10), $"SIGTERM took {took.TotalSeconds:0.0} s\n{first.Tail()}");
            Assert.True(first.ExitCode == 0, $"exit code {first.ExitCode}\n{first.Tail()}");
        }

        await using var second = await DevHostProcess.StartAsync(world.Port, environment);

        // Everything written before the stop is readable, and the rollback carries on from where it was.
        var releases = await second.GetJsonAsync($"/api/releases/{DevHostWorld.Component}");
        Assert.Contains(DevHostWorld.GoodVersion, releases.ToString(), StringComparison.Ordinal);
        Assert.Contains(DevHostWorld.BadVersion, releases.ToString(), StringComparison.Ordinal);
        await second.WaitForPhaseAsync(rollbackId, "AwaitingConfirmation", TimeSpan.FromSeconds(120));
        var (confirmed, _) = await second.PostJsonAsync($"/api/rollbacks/{rollbackId}/confirm", new { note = "confirmed after the restart" });
        Assert.True(confirmed is 200 or 202);
        var done = await second.WaitForPhaseAsync(rollbackId, "Succeeded", TimeSpan.FromSeconds(30));

        Assert.Equal(1, world.Deployments.DeploymentsCreated);
        AssertCompleteAudit(done);
    }

    /// <summary>Section 10: trigger reason, target version, timestamps, outcome; and R recorded.</summary>
    private static void AssertCompleteAudit(JsonElement rollback)
    {
        Assert.Equal("Succeeded", rollback.GetProperty("outcome").GetString());
        Assert.Equal(DevHostWorld.GoodVersion, rollback.GetProperty("targetVersion").GetString());
        Assert.Equal("HealthDegraded", rollback.GetProperty("trigger").GetProperty("reason").GetString());
        Assert.Equal("audit", rollback.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.String, rollback.GetProperty("endedAt").ValueKind);
        var recovery = rollback.GetProperty("recoverySeconds");
        Assert.Equal(JsonValueKind.Number, recovery.ValueKind);
        Assert.InRange(recovery.GetDouble(), 0.001, 300);
        var steps = rollback.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        foreach (var expected in new[] { "TriggerReceived", "TargetPinned", "DeploymentStarted", "DeploymentCompleted", "Verified", "Succeeded" })
        {
            Assert.Contains(expected, steps);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
