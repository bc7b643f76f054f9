using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// Two dev hosts on one storage with the same tables or task hub take each other's work, so the second one refuses to
/// start and names the first; a host that is gone (SIGKILL) or stopped frees its tables and task hub at once.
/// </summary>
public sealed class DevHostStorageLeaseTests
{
    [Theory]
    [InlineData("same tables and task hub", true, true, "tables Dh")]
    [InlineData("same tables, another task hub", true, false, "tables Dh")]
    [InlineData("same task hub, other tables", false, true, "task hub Hub")]
    public async Task A_second_dev_host_on_the_same_tables_or_task_hub_refuses_to_start_and_names_the_first(string why, bool sameTables, bool sameHub, string named)
    {
        await using var world = await DevHostWorld.CreateAsync();
        await using var first = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: false));
        var environment = world.Environment(requireConfirmation: false);
        var other = Guid.NewGuid().ToString("N")[..10];
        if (!sameTables)
        {
            environment["RollbackStorageOptions__TablePrefix"] = "Other" + other;
        }

        if (!sameHub)
        {
            environment["RollbackTaskHub"] = "Other" + other;
        }

        var (exitCode, output) = await DevHostProcess.RunUntilExitAsync(environment, ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}"], TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 3, $"{why}: exit code {exitCode}\n{output}");
        Assert.Contains("The dev host did not start: Another dev host holds the " + named, output, StringComparison.Ordinal);
        Assert.Contains($"process {first.ProcessId} on {Environment.MachineName}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
        Assert.Equal(DevHostWorld.Component, (await first.GetJsonAsync($"/api/components/{DevHostWorld.Component}")).GetProperty("component").GetString());
    }

    [Fact]
    public async Task A_dev_host_killed_with_SIGKILL_or_stopped_frees_its_tables_and_task_hub_for_the_next_one_at_once()
    {
        await using var world = await DevHostWorld.CreateAsync();
        var environment = world.Environment(requireConfirmation: false);
        var first = await DevHostProcess.StartAsync(world.Port, environment);
        await first.KillAsync();
        await first.DisposeAsync();

        var second = await DevHostProcess.StartAsync(world.Port, environment);
        Assert.Contains("Took over the tables Dh", second.Output, StringComparison.Ordinal);
        await second.TerminateAsync(TimeSpan.FromSeconds(15));
        await second.DisposeAsync();

        await using var third = await DevHostProcess.StartAsync(world.Port, environment);
        Assert.DoesNotContain("Took over", third.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevHost_AllowSharedStorage_lets_a_second_host_start_on_the_same_tables()
    {
        await using var world = await DevHostWorld.CreateAsync();
        await using var first = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: false));
        var environment = world.Environment(requireConfirmation: false);
        environment["DevHost__AllowSharedStorage"] = "true";

        await using var second = await DevHostProcess.StartAsync(Azurite.FreePort(), environment);

        Assert.Equal(DevHostWorld.Component, (await second.GetJsonAsync($"/api/components/{DevHostWorld.Component}")).GetProperty("component").GetString());
    }
}
