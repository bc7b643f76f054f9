using RollbackFunctions.Cli;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.DevHost;

namespace RollbackFunctions.Tests.Cli;

[Collection(nameof(RollbackCtlDevHostTests))]
public sealed class RouteCliTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Readiness_exits_Ok_when_every_component_is_ready_and_NotReady_when_one_is_not()
    {
        await using var world = await DevHostWorld.CreateAsync();
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));
        var env = CliRun.Environment(host.Http.BaseAddress!, DevHostProcess.ApiKey);

        // No release recorded: no Verified target, so storefront is not ready.
        var notReady = await CliRun.RunAsync(env, "readiness");
        Assert.True(notReady.ExitCode == ExitCodes.NotReady, notReady.ToString());
        Assert.Contains(DevHostWorld.Component, notReady.Output, StringComparison.Ordinal);
        Assert.Contains("NO", notReady.Output, StringComparison.Ordinal);

        await DevHostWorld.RecordReleasesAsync(host);
        var ready = await CliRun.RunAsync(env, "readiness");
        Assert.True(ready.ExitCode == ExitCodes.Ok, ready.ToString());
        Assert.Contains(DevHostWorld.GoodVersion, ready.Output, StringComparison.Ordinal);

        var json = await CliRun.RunAsync(env, "readiness", "--json");
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        var components = json.Json.ValueKind == System.Text.Json.JsonValueKind.Array ? json.Json : json.Json.GetProperty("components");
        Assert.Contains(components.EnumerateArray(), c => c.GetProperty("component").GetString() == DevHostWorld.Component && c.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Abort_stops_a_rollback_in_flight_watch_exits_Aborted_and_a_second_abort_is_a_409()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.RunForever();
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));
        var env = CliRun.Environment(host.Http.BaseAddress!, DevHostProcess.ApiKey);
        await DevHostWorld.RecordReleasesAsync(host);
        var rollbackId = await DevHostWorld.FireAlertAsync(host);
        var watch = CliRun.RunAsync(env, "watch", rollbackId, "--interval", "0.3");
        await host.WaitForPhaseAsync(rollbackId, "Deploying", Long);

        var abort = await CliRun.RunAsync(env, "abort", rollbackId, "--reason", "wrong target: 1.4.0 lacks the payment fix");
        Assert.True(abort.ExitCode == ExitCodes.Ok, abort.ToString());

        var watched = await watch.WaitAsync(Long);
        Assert.True(watched.ExitCode == ExitCodes.Aborted, watched.ToString());
        Assert.Contains(": Aborted after", watched.Output, StringComparison.Ordinal);

        var status = await CliRun.RunAsync(env, "status", rollbackId);
        Assert.Equal(ExitCodes.Aborted, status.ExitCode);

        var again = await CliRun.RunAsync(env, "abort", rollbackId, "--reason", "twice");
        Assert.True(again.ExitCode == ExitCodes.ApiError, again.ToString());
        Assert.Contains("error 409", again.Error, StringComparison.Ordinal);

        var frozen = await CliRun.RunAsync(env, "gate", DevHostWorld.Component);
        Assert.Equal(ExitCodes.GateClosed, frozen.ExitCode);
    }
}
