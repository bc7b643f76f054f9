using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Workflow;
using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// API.md "In-flight rollbacks survive a code deployment", on the persistent engine: a rollback waits for its operator
/// on a dev host labelled one workflow version (<c>DurableEngine:WorkflowVersion</c>), the host stops, and a host
/// labelled another version takes the task hub over. One that the new build holds finishes on it; one it does not
/// (newer than the worker, or a version the code dropped) fails in the engine and the reconciler ends it Failed.
/// </summary>
[Collection(nameof(DevHostProcessTests))]
public sealed class DevHostVersionChangeTests
{
    [Fact]
    public async Task A_rollback_started_on_the_current_version_finishes_on_a_later_build_that_kept_its_logic()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.SucceedAfter(1);
        var sidecarPort = Azurite.FreePort();
        var rollbackId = await StartAwaitingConfirmationAsync(world, WorkflowVersion.Current, sidecarPort);

        // The next build: labelled 4, still holding version 3's logic (the orchestrator is registered under both).
        await using var later = await DevHostProcess.StartAsync(world.Port, Environment(world, "4", sidecarPort));
        var (confirmed, body) = await later.PostJsonAsync($"/api/rollbacks/{rollbackId}/confirm", new { @operator = "alice" });
        Assert.True(confirmed is 200 or 202, $"confirm answered {confirmed}: {body}\n{later.Tail()}");
        var done = await later.WaitForPhaseAsync(rollbackId, "Succeeded", TimeSpan.FromSeconds(60));

        Assert.Equal("Succeeded", done.GetProperty("outcome").GetString());
        Assert.Equal("alice", done.GetProperty("confirmedBy").GetString());
        AssertAuditHas(done, "TriggerReceived", "TargetPinned", "DeploymentStarted", "DeploymentCompleted", "Verified", "OperatorConfirmed", "Succeeded");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, await WaitForRuntimeStatusAsync(sidecarPort, rollbackId, OrchestrationRuntimeStatus.Completed));
        var component = await later.GetJsonAsync($"/api/components/{DevHostWorld.Component}");
        Assert.False(component.GetProperty("frozen").GetBoolean(), component.ToString());
        Assert.Equal(DevHostWorld.GoodVersion, component.GetProperty("currentVersion").GetString());
        Assert.Equal(JsonValueKind.Null, component.GetProperty("activeRollback").ValueKind);
        var deployment = Assert.Single(world.Deployments.Deployments);
        Assert.Equal((DevHostWorld.GoodVersion, rollbackId), (deployment.Version, deployment.IdempotencyKey));
        Assert.Empty(world.Incidents.Attempts);
    }

    [Theory]
    [InlineData("4")] // started by a newer build, then the app was rolled back to this one (the worker's VersionMismatch)
    [InlineData("1")] // a version whose logic this build dropped (no orchestrator registered under it)
    public async Task A_rollback_of_a_version_this_build_does_not_run_fails_in_the_engine_and_the_reconciler_ends_it_Failed(string startedOn)
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.SucceedAfter(1);
        var sidecarPort = Azurite.FreePort();
        var rollbackId = await StartAwaitingConfirmationAsync(world, startedOn, sidecarPort);

        await using var current = await DevHostProcess.StartAsync(world.Port, Environment(world, WorkflowVersion.Current, sidecarPort));

        // The operator's confirmation is the next event of the orchestration: the current worker refuses to replay it.
        var (confirmed, body) = await current.PostJsonAsync($"/api/rollbacks/{rollbackId}/confirm", new { @operator = "alice" });
        Assert.True(confirmed is 200 or 202, $"confirm answered {confirmed}: {body}\n{current.Tail()}");
        var ended = await WaitForStepAsync(current, rollbackId, AbandonedRollbackEnding.EscalationStep, TimeSpan.FromSeconds(60));

        // The sidecar over Azure Storage keeps the status but not the failure details of a worker-side failure.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, await WaitForRuntimeStatusAsync(sidecarPort, rollbackId, OrchestrationRuntimeStatus.Failed));
        Assert.Equal("Failed", ended.GetProperty("outcome").GetString());
        Assert.Contains("failed in the engine", ended.GetProperty("outcomeReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, ended.GetProperty("endedAt").ValueKind);
        AssertAuditHas(ended, "TriggerReceived", "TargetPinned", "DeploymentStarted", "Verified", AbandonedRollbackEnding.EndedStep, AbandonedRollbackEnding.EscalationStep);
        Assert.DoesNotContain("OperatorConfirmed", Steps(ended));

        var component = await current.GetJsonAsync($"/api/components/{DevHostWorld.Component}");
        Assert.True(component.GetProperty("frozen").GetBoolean(), component.ToString());
        Assert.Equal(rollbackId, component.GetProperty("freeze").GetProperty("rollbackId").GetString());
        Assert.Equal(JsonValueKind.Null, component.GetProperty("activeRollback").ValueKind);
        var incident = Assert.Single(world.Incidents.Attempts, d => d.Text("rollbackId") == rollbackId);
        Assert.Equal(("Failed", rollbackId), (incident.Text("outcome"), incident.IdempotencyKey));

        // Nothing more was deployed after the change of build.
        var deployment = Assert.Single(world.Deployments.Deployments);
        Assert.Equal((DevHostWorld.GoodVersion, rollbackId), (deployment.Version, deployment.IdempotencyKey));
    }

    private static async Task<string> StartAwaitingConfirmationAsync(DevHostWorld world, string workflowVersion, int sidecarPort)
    {
        await using var first = await DevHostProcess.StartAsync(world.Port, Environment(world, workflowVersion, sidecarPort));
        await DevHostWorld.RecordReleasesAsync(first);
        var rollbackId = await DevHostWorld.FireAlertAsync(first);
        await first.WaitForPhaseAsync(rollbackId, "AwaitingConfirmation", TimeSpan.FromSeconds(60));
        var took = await first.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(first.HasExited, $"still running {took.TotalSeconds:0.0} s after SIGTERM\n{first.Tail()}");
        return rollbackId;
    }

    private static Dictionary<string, string> Environment(DevHostWorld world, string workflowVersion, int sidecarPort)
    {
        var environment = world.Environment(requireConfirmation: true);
        environment["DurableEngine__WorkflowVersion"] = workflowVersion;
        environment["DurableEngine__SidecarPort"] = sidecarPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Rollback__Reconciler__Interval"] = "00:00:01";
        return environment;
    }

    /// <summary>
    /// The engine's own record of the instance, read over the host's sidecar as the host's client does: the status once
    /// it is <paramref name="expected"/> (the audit is written before the orchestration returns), else the last seen.
    /// </summary>
    private static async Task<OrchestrationRuntimeStatus?> WaitForRuntimeStatusAsync(int sidecarPort, string rollbackId, OrchestrationRuntimeStatus expected)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableTaskClient(client => client.UseGrpc($"http://127.0.0.1:{sidecarPort}"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DurableTaskClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        OrchestrationRuntimeStatus? status;
        while ((status = (await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: false))?.RuntimeStatus) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return status;
    }

    /// <summary>The rollback once its timeline has <paramref name="step"/> (the reconciler writes the end, then escalates).</summary>
    private static async Task<JsonElement> WaitForStepAsync(DevHostProcess host, string rollbackId, string step, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await host.GetJsonAsync($"/api/rollbacks/{rollbackId}");
            if (Steps(last).Contains(step))
            {
                return last;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"rollback {rollbackId} has no {step} step after {timeout}; last seen: {last}\n{host.Tail()}");
        return last;
    }

    private static List<string?> Steps(JsonElement rollback) =>
        [.. rollback.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("name").GetString())];

    private static void AssertAuditHas(JsonElement rollback, params string[] expected)
    {
        var steps = Steps(rollback);
        foreach (var name in expected)
        {
            Assert.Contains(name, steps);
        }
    }
}
