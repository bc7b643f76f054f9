using System.Diagnostics;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>The README's path: the dev host in demo mode (its own simulators) and samples/demo.sh against it.</summary>
[Collection(nameof(DevHostProcessTests))]
public sealed class DevHostDemoModeTests
{
    [Fact]
    public async Task Demo_mode_with_a_config_file_runs_the_demo_script_to_Succeeded()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var configFile = Path.Combine(Path.GetTempPath(), $"devhost-demo-{id}.json");

        // The file sits over the embedded demo configuration: its key replaces the demo key.
        await File.WriteAllTextAsync(configFile, """{ "RollbackApi": { "Keys": [ "key-from-config-file" ] }, "Rollback": { "Budget": "00:04:00" } }""");
        try
        {
            var port = Azurite.FreePort();
            var environment = new Dictionary<string, string>
            {
                ["DurableTaskStorage"] = Azurite.ConnectionString,
                ["RollbackStorage"] = Azurite.ConnectionString,
                ["RollbackTaskHub"] = "Demo" + id,
                ["RollbackStorageOptions__TablePrefix"] = "Demo" + id,
                ["ROLLBACK_CONFIG"] = configFile,
            };
            await using var host = await DevHostProcess.StartAsync(port, environment, ["--demo"], apiKey: "key-from-config-file");
            Assert.Contains("RollbackFunctions dev host (demo mode)", host.Output, StringComparison.Ordinal);
            Assert.Contains("storefront", host.Output, StringComparison.Ordinal);

            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "samples", "demo.sh"));
            start.Environment["ROLLBACK_URL"] = $"http://127.0.0.1:{port}";
            start.Environment["ROLLBACK_KEY"] = "key-from-config-file";
            using var demo = Process.Start(start)!;
            var stdout = demo.StandardOutput.ReadToEndAsync();
            var stderr = demo.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await demo.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;

            Assert.True(demo.ExitCode == 0, $"demo.sh exited {demo.ExitCode}:\n{output}\n{host.Tail()}");
            Assert.Contains("phase: AwaitingConfirmation", output, StringComparison.Ordinal);
            Assert.Contains("outcome: Succeeded", output, StringComparison.Ordinal);
            Assert.Contains("budget 240 s", output, StringComparison.Ordinal);
            Assert.Contains("OperatorConfirmed", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(configFile);
        }
    }

    /// <summary>
    /// Linux allows 128 inotify instances per user by default, and a test run starts dozens of dev hosts and loopback
    /// servers side by side: one configuration reload watch each, and the run's later hosts fail at start.
    /// </summary>
    [Fact]
    public async Task The_dev_host_in_demo_mode_and_its_simulators_hold_no_inotify_instance()
    {
        Assert.True(OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"), "this check reads /proc");
        var id = Guid.NewGuid().ToString("N")[..10];
        var environment = new Dictionary<string, string>
        {
            ["DurableTaskStorage"] = Azurite.ConnectionString,
            ["RollbackStorage"] = Azurite.ConnectionString,
            ["RollbackTaskHub"] = "Watch" + id,
            ["RollbackStorageOptions__TablePrefix"] = "Watch" + id,
            ["RollbackApi__Keys__0"] = DevHostProcess.ApiKey,
        };
        await using var host = await DevHostProcess.StartAsync(Azurite.FreePort(), environment, ["--demo"]);

        var inotify = Directory.EnumerateFileSystemEntries($"/proc/{host.ProcessId}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Count(target => target == "anon_inode:inotify");

        Assert.Equal(0, inotify);
    }
}
