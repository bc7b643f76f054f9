using RollbackFunctions.Cli;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.DevHost;

namespace RollbackFunctions.Tests.Cli;

/// <summary>
/// <c>rollbackctl</c> against the dev host as a process (persistent engine on Azurite, loopback deployment API,
/// probes and incident sink): every command whose route exists, its output and its exit code.
/// </summary>
[Collection(nameof(RollbackCtlDevHostTests))]
[CollectionDefinition(nameof(RollbackCtlDevHostTests), DisableParallelization = true)]
public sealed class RollbackCtlDevHostTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Plan_gate_watch_confirm_status_and_list_follow_a_rollback_that_ends_Succeeded()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.SucceedAfter(2);
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));
        var env = CliRun.Environment(host.Http.BaseAddress!, DevHostProcess.ApiKey);
        await DevHostWorld.RecordReleasesAsync(host);

        var plan = await CliRun.RunAsync(env, "plan", DevHostWorld.Component);
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Contains(DevHostWorld.GoodVersion, plan.Output, StringComparison.Ordinal);
        Assert.Contains("TargetVerified", plan.Output, StringComparison.Ordinal);

        var planJson = await CliRun.RunAsync(env, "plan", DevHostWorld.Component, "--json");
        Assert.Equal(ExitCodes.Ok, planJson.ExitCode);
        Assert.True(planJson.Json.GetProperty("accepted").GetBoolean());
        Assert.Equal(DevHostWorld.GoodVersion, planJson.Json.GetProperty("target").GetProperty("version").GetString());

        var open = await CliRun.RunAsync(env, "gate", DevHostWorld.Component);
        Assert.True(open.ExitCode == ExitCodes.Ok, open.ToString());
        Assert.Contains("gate open", open.Output, StringComparison.Ordinal);

        var rollbackId = await DevHostWorld.FireAlertAsync(host);
        var watch = CliRun.RunAsync(env, "watch", rollbackId, "--interval", "0.3");
        await host.WaitForPhaseAsync(rollbackId, "AwaitingConfirmation", Long);

        var closed = await CliRun.RunAsync(env, "gate", DevHostWorld.Component, "--json");
        Assert.True(closed.ExitCode == ExitCodes.GateClosed, closed.ToString());
        Assert.False(closed.Json.GetProperty("open").GetBoolean());
        Assert.Equal(rollbackId, closed.Json.GetProperty("activeRollbackId").GetString());

        var running = await CliRun.RunAsync(env, "status", rollbackId);
        Assert.True(running.ExitCode == ExitCodes.InProgress, running.ToString());

        var confirm = await CliRun.RunAsync(env, "confirm", rollbackId, "--note", "checkout works on 1.4.0");
        Assert.True(confirm.ExitCode == ExitCodes.Ok, confirm.ToString());
        Assert.Contains($"confirmed {rollbackId} as alice", confirm.Output, StringComparison.Ordinal);

        var watched = await watch.WaitAsync(Long);
        Assert.True(watched.ExitCode == ExitCodes.Ok, watched.ToString());
        Assert.Contains($"watching {rollbackId}: storefront, trigger HealthDegraded, budget 300.0 s", watched.Output, StringComparison.Ordinal);
        Assert.Contains($"target: {DevHostWorld.BadVersion} -> {DevHostWorld.GoodVersion}  {DevHostWorld.Artifact('1')}", watched.Output, StringComparison.Ordinal);
        foreach (var phase in new[] { "Deploying", "Verifying", "AwaitingConfirmation", "Succeeded" })
        {
            Assert.Contains(phase, watched.Output, StringComparison.Ordinal);
        }

        Assert.Contains("% ", watched.Output, StringComparison.Ordinal);
        Assert.Contains(" of 300.0 s", watched.Output, StringComparison.Ordinal);
        Assert.Contains($"storefront {DevHostWorld.BadVersion} -> {DevHostWorld.GoodVersion}: Succeeded after", watched.Output, StringComparison.Ordinal);

        var status = await CliRun.RunAsync(env, "status", rollbackId);
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        Assert.Contains("alice", status.Output, StringComparison.Ordinal);
        Assert.Contains("HealthDegraded from AzureMonitorAlert", status.Output, StringComparison.Ordinal);
        Assert.Contains("Precondition:TargetVerified", status.Output, StringComparison.Ordinal);

        var statusJson = await CliRun.RunAsync(env, "status", rollbackId, "--json");
        Assert.Equal(ExitCodes.Ok, statusJson.ExitCode);
        Assert.Equal(rollbackId, statusJson.Json.GetProperty("rollbackId").GetString());
        Assert.Equal("Succeeded", statusJson.Json.GetProperty("outcome").GetString());
        Assert.NotEmpty(statusJson.Json.GetProperty("timeline").EnumerateArray());

        var list = await CliRun.RunAsync(env, "list", "--component", DevHostWorld.Component, "--limit", "5");
        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        Assert.Contains(rollbackId, list.Output, StringComparison.Ordinal);
        Assert.Contains("1 rollback(s)", list.Output, StringComparison.Ordinal);

        var listJson = await CliRun.RunAsync(env, "list", "--json");
        Assert.Equal(rollbackId, listJson.Json.GetProperty("rollbacks")[0].GetProperty("rollbackId").GetString());
    }

    [Fact]
    public async Task Watch_exits_Failed_on_a_failed_rollback_and_the_gate_stays_closed_until_unfreeze()
    {
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DeploymentScript.Fail("unit web did not start");
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: false));
        var env = CliRun.Environment(host.Http.BaseAddress!, DevHostProcess.ApiKey);
        await DevHostWorld.RecordReleasesAsync(host);
        var rollbackId = await DevHostWorld.FireAlertAsync(host);

        var watched = await CliRun.RunAsync(env, "watch", rollbackId, "--interval", "0.3");
        Assert.True(watched.ExitCode == ExitCodes.Failed, watched.ToString());
        Assert.Contains(": Failed after", watched.Output, StringComparison.Ordinal);

        var status = await CliRun.RunAsync(env, "status", rollbackId);
        Assert.Equal(ExitCodes.Failed, status.ExitCode);

        var frozen = await CliRun.RunAsync(env, "gate", DevHostWorld.Component);
        Assert.True(frozen.ExitCode == ExitCodes.GateClosed, frozen.ToString());
        Assert.Contains("frozen since", frozen.Output, StringComparison.Ordinal);

        var incomplete = await CliRun.RunAsync(env, "unfreeze", DevHostWorld.Component, "--incident-ref", "INC-42");
        Assert.True(incomplete.ExitCode == ExitCodes.Usage, incomplete.ToString());
        Assert.Contains("--analysis", incomplete.Error, StringComparison.Ordinal);

        var unfreeze = await CliRun.RunAsync(env, "unfreeze", DevHostWorld.Component, "--incident-ref", "INC-42", "--analysis", "the deployment API lost unit web; fixed");
        Assert.True(unfreeze.ExitCode == ExitCodes.Ok, unfreeze.ToString());
        Assert.Matches(@"frozen\s+no", unfreeze.Output);

        var again = await CliRun.RunAsync(env, "unfreeze", DevHostWorld.Component, "--incident-ref", "INC-42", "--analysis", "twice");
        Assert.True(again.ExitCode == ExitCodes.ApiError, again.ToString());
        Assert.Contains("error 409: Component 'storefront' is not frozen", again.Error, StringComparison.Ordinal);

        var reopened = await CliRun.RunAsync(env, "gate", DevHostWorld.Component);
        Assert.True(reopened.ExitCode == ExitCodes.Ok, reopened.ToString());
    }

    [Fact]
    public async Task Refusals_have_their_own_exit_codes_and_print_the_problem()
    {
        await using var world = await DevHostWorld.CreateAsync();
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));
        var env = CliRun.Environment(host.Http.BaseAddress!, DevHostProcess.ApiKey);

        var badKey = await CliRun.RunAsync(env, "list", "--key", "not-the-key");
        Assert.True(badKey.ExitCode == ExitCodes.NotAuthorized, badKey.ToString());
        Assert.Contains("error 401: The credential was refused", badKey.Error, StringComparison.Ordinal);

        var badKeyJson = await CliRun.RunAsync(env, "list", "--key", "not-the-key", "--json");
        Assert.Equal(ExitCodes.NotAuthorized, badKeyJson.ExitCode);
        Assert.Equal(401, badKeyJson.Json.GetProperty("status").GetInt32());

        var missing = await CliRun.RunAsync(env, "status", "rb-does-not-exist");
        Assert.True(missing.ExitCode == ExitCodes.NotFound, missing.ToString());
        Assert.Contains("error 404", missing.Error, StringComparison.Ordinal);

        var unknown = await CliRun.RunAsync(env, "gate", "no-such-component");
        Assert.True(unknown.ExitCode is ExitCodes.NotFound or ExitCodes.ApiError, unknown.ToString());
        Assert.Contains("no-such-component", unknown.Error, StringComparison.Ordinal);

        var invalid = await CliRun.RunAsync(env, "list", "--limit", "0");
        Assert.True(invalid.ExitCode == ExitCodes.ApiError, invalid.ToString());
        Assert.Contains("error 400", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("limit:", invalid.Error, StringComparison.Ordinal);

        var noTarget = await CliRun.RunAsync(env, "plan", DevHostWorld.Component);
        Assert.True(noTarget.ExitCode == ExitCodes.Rejected, noTarget.ToString());
        Assert.Contains("FAIL", noTarget.Output, StringComparison.Ordinal);
    }
}
