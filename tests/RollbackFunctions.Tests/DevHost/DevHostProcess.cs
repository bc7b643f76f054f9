using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// The dev host as a user runs it: <c>dotnet RollbackFunctions.DevHost.dll</c> from the build output, configured by
/// environment variables (and optionally <c>--config</c>), on its own loopback port. Output is kept for failure messages.
/// </summary>
internal sealed class DevHostProcess : IAsyncDisposable
{
    /// <summary>The key named <see cref="KeyHolder"/>, with every role: what the tests act as.</summary>
    public const string ApiKey = "devhost-test-key";

    public const string KeyHolder = "alice";

    /// <summary>A bare key (local use: every role, names nobody), configured beside it.</summary>
    public const string BareKey = "devhost-test-bare-key";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DevHostProcess(Process process, int port, string apiKey)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("x-functions-key", apiKey);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string DllPath => Path.Combine(RepositoryRoot.Path, "src", "RollbackFunctions.DevHost", "bin", RepositoryRoot.BuildConfiguration, "net10.0", "RollbackFunctions.DevHost.dll");

    /// <summary>Starts the host and waits until it answers an authenticated request.</summary>
    public static async Task<DevHostProcess> StartAsync(int port, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? arguments = null, string apiKey = ApiKey)
    {
        var process = Process.Start(StartInfo(environment, ["--urls", $"http://127.0.0.1:{port}", .. arguments ?? []]))
            ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new DevHostProcess(process, port, apiKey);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Runs the host with exactly <paramref name="arguments"/> (no <c>--urls</c> added) until it exits by itself; for start-up refusals.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(environment, arguments)) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"the dev host was still running after {timeout}:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        if (!File.Exists(DllPath))
        {
            throw new InvalidOperationException($"The dev host is not built at {DllPath}.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the test run's own environment may configure the host by accident.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Rollback", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DurableEngine", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        // Nor may a file-watcher setting hide what the host itself asks for (see the inotify test).
        start.Environment.Remove("DOTNET_USE_POLLING_FILE_WATCHER");
        start.Environment.Remove(ConfigurationReloadOff.Variable);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM (what Ctrl-C, systemd, Docker and Kubernetes send); returns how long the host took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan wait)
    {
        var stopwatch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported by the caller through the elapsed time and HasExited.
        }

        return stopwatch.Elapsed;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}\n{Tail()}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(int Status, JsonElement Body)> PostJsonAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls the status route (not WaitForInstanceCompletionAsync, which has a 2 s floor on this backend).</summary>
    public async Task<JsonElement> WaitForPhaseAsync(string rollbackId, string phase, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync(new Uri($"/api/rollbacks/{rollbackId}", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                var current = last.GetProperty("phase").GetString();
                if (current == phase)
                {
                    return last;
                }

                Assert.False(
                    current is "Succeeded" or "Rejected" or "Failed" or "TimedOut" or "Unconfirmed",
                    $"rollback {rollbackId} ended {current} while waiting for {phase}: {last}\n{Tail()}");
            }

            await Task.Delay(100);
        }

        Assert.Fail($"rollback {rollbackId} did not reach {phase} within {timeout}; last seen: {last}\n{Tail()}");
        return last;
    }

    public string Tail(int lines = 60)
    {
        var all = Output.Split('\n');
        return "--- dev host output (tail) ---\n" + string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"The dev host exited with {_process.ExitCode} before it was ready.\n{Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/api/rollbacks?limit=1", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The dev host did not answer within {timeout}.\n{Tail()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
