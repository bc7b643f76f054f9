using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace RollbackFunctions.Benchmarks;

/// <summary>
/// The dev host's Release build as a separate process on a free loopback port, configured by environment variables
/// (and optionally a generated <c>--config</c> file), with an <see cref="HttpClient"/> that sends the API key. The
/// process inherits this process's environment, so <c>DurableEngine__*</c> variables set for a benchmark run reach it.
/// </summary>
internal sealed class DevHostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DevHostProcess(Process process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    public HttpClient Http { get; }

    public Uri BaseUrl => Http.BaseAddress!;

    public static async Task<DevHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string apiKey, string? configFile, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var dll = Path.Combine(RepositoryRoot(), "src", "RollbackFunctions.DevHost", "bin", "Release", "net10.0", "RollbackFunctions.DevHost.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        if (configFile is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(configFile);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("devhost: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("x-functions-key", apiKey);
        var host = new DevHostProcess(process, http);
        try
        {
            await host.WaitUntilReadyAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>The rollback as <c>GET /api/rollbacks/{id}</c> answers it, or null while it is not readable yet.</summary>
    public async Task<JsonElement?> GetRollbackAsync(string rollbackId, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri($"/api/rollbacks/{rollbackId}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RollbackFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RollbackFunctions.sln not found");
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the dev host exited with {_process.ExitCode}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/api/rollbacks?limit=1", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("the dev host did not answer within 60 s");
    }
}
