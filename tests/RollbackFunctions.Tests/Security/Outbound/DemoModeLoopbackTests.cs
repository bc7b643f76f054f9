using RollbackFunctions.Tests.DevHost;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Security.Outbound;

/// <summary>Issue 15 item 5: the dev host in demo mode (its printed key, simulators that accept anything) listens on loopback only.</summary>
[Collection(nameof(DevHostProcessTests))]
public sealed class DemoModeLoopbackTests
{
    public static TheoryData<string, string[], string, string> NonLoopbackSettings { get; } = new()
    {
        { "--urls", ["--demo", "--urls", "http://0.0.0.0:{port}"], "", "'http://0.0.0.0:{port}' (from urls: --urls or ASPNETCORE_URLS)" },
        { "ASPNETCORE_URLS", ["--demo"], "ASPNETCORE_URLS=http://+:{port}", "'http://+:{port}' (from urls: --urls or ASPNETCORE_URLS)" },
        { "Kestrel endpoint", ["--demo", "--urls", "http://127.0.0.1:{port}"], "Kestrel__Endpoints__Public__Url=http://[::]:{port}", "'http://[::]:{port}' (from Kestrel:Endpoints:Public:Url)" },
        { "a host name", ["--demo", "--urls", "http://devbox.example.test:{port}"], "", "'http://devbox.example.test:{port}'" },
    };

    [Theory]
    [MemberData(nameof(NonLoopbackSettings))]
    public async Task Demo_mode_refuses_to_start_on_an_address_that_is_not_loopback(string via, string[] arguments, string variable, string named)
    {
        var port = Azurite.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["DurableTaskStorage"] = Azurite.ConnectionString,
            ["RollbackStorage"] = Azurite.ConnectionString,
        };
        if (variable.Length > 0)
        {
            var (key, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            environment[key] = value.Replace("{port}", port, StringComparison.Ordinal);
        }

        var (exitCode, output) = await DevHostProcess.RunUntilExitAsync(
            environment, [.. arguments.Select(a => a.Replace("{port}", port, StringComparison.Ordinal))], TimeSpan.FromSeconds(90));

        Assert.True(exitCode != 0, $"{via}: the dev host exited 0:\n{output}");
        Assert.Contains("Demo mode listens on loopback only: " + named.Replace("{port}", port, StringComparison.Ordinal), output, StringComparison.Ordinal);
        Assert.Contains("--urls http://127.0.0.1:7071", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }
}
