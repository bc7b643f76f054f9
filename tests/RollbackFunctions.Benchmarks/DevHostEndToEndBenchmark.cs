using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Benchmarks;

/// <summary>
/// A rollback end to end through the dev host process, as a pipeline sees it: from <c>POST /api/rollbacks</c> to the
/// status route answering <c>Succeeded</c> (polled every 20 ms: WaitForInstanceCompletionAsync has a 2 s floor on the
/// Azure Storage backend). Externals answer instantly: the deployment succeeds at the first poll, probes pass at once,
/// and the component needs no operator confirmation, so the figure is the app's own overhead. Once on the persistent
/// engine (Durable Task Azure Storage over Azurite, target at most 1 s), once in memory.
/// </summary>
internal sealed class DevHostEndToEndBenchmark : IBenchmark
{
    private const int Warmup = 2;
    private const int Runs = 15;
    private const string Key = "bench-key";
    private const string Component = "checkout";

    public string Name => "devhost-e2e";

    public string Description => "median rollback (request to Succeeded, instant externals, no confirmation) through the dev host: Azure Storage engine vs in memory";

    public async Task RunAsync(MetricReport report, CancellationToken cancellationToken)
    {
        var storage = Environment.GetEnvironmentVariable("ROLLBACK_TEST_STORAGE")
            ?? throw new InvalidOperationException("ROLLBACK_TEST_STORAGE must name an Azurite (./scripts/bench.sh sets it).");
        foreach (var engine in new[] { "AzureStorage", "InMemory" })
        {
            var times = await MeasureAsync(engine, storage, report, cancellationToken);
            var name = engine == "AzureStorage" ? "azure_storage" : "in_memory";
            report.Metric($"devhost_e2e_{name}_median", MetricReport.Percentile(times, 50), "ms");
            report.Metric($"devhost_e2e_{name}_p90", MetricReport.Percentile(times, 90), "ms");
            report.Metric($"devhost_e2e_{name}_max", times.Max(), "ms");
        }

        report.Note("target: devhost_e2e_azure_storage_median <= 1000 ms");
    }

    private static async Task<List<double>> MeasureAsync(string engine, string storage, MetricReport report, CancellationToken cancellationToken)
    {
        await using var deployments = await SimulatedDeploymentApi.StartAsync(cancellationToken: cancellationToken);
        await using var endpoints = await SimulatedEndpoints.StartAsync(cancellationToken: cancellationToken);
        await using var incidents = await IncidentSink.StartAsync(cancellationToken: cancellationToken);
        deployments.DefaultScript = DeploymentScript.Succeed();

        var id = Guid.NewGuid().ToString("N")[..10];
        var c = $"Rollback__Components__{Component}__";
        var environment = new Dictionary<string, string>
        {
            ["DurableTaskStorage"] = storage,
            ["RollbackStorage"] = storage,
            ["RollbackTaskHub"] = "Bench" + id,
            ["RollbackStorageOptions__TablePrefix"] = "Bench" + id,
            ["DurableEngine__Mode"] = engine,
            ["RollbackApi__Keys__0"] = Key,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Rollback__Incident__Url"] = incidents.IncidentUrl.ToString(),
            ["Rollback__Providers__platform__Type"] = "Generic",
            ["Rollback__Providers__platform__Generic__BaseUrl"] = deployments.BaseUrl.ToString(),
            [c + "Kind"] = "BackendService",
            [c + "Provider"] = "platform",
            [c + "RequireOperatorConfirmation"] = "false",
            [c + "SmokeProbes__0__Name"] = "smoke",
            [c + "SmokeProbes__0__Url"] = endpoints.Url("checkout/smoke").ToString(),
            [c + "HealthChecks__0__Name"] = "health",
            [c + "HealthChecks__0__Url"] = endpoints.Url("checkout/health").ToString(),
        };

        await using var host = await DevHostProcess.StartAsync(environment, Key, configFile: null, cancellationToken);
        var http = host.Http;
        await host.PostAsync("/api/releases", new { component = Component, version = "1.0.0", artifact = Artifact('a'), status = "Verified" }, cancellationToken);

        var times = new List<double>();
        var lastRollbackId = "";
        for (var run = 0; run < Warmup + Runs; run++)
        {
            // A newer deployed release each run, so the component always has something to roll back from.
            var broken = string.Create(CultureInfo.InvariantCulture, $"1.1.{run}");
            await host.PostAsync("/api/releases", new { component = Component, version = broken, artifact = Artifact('b', run), status = "Deployed" }, cancellationToken);

            var stopwatch = Stopwatch.StartNew();
            var accepted = await host.PostAsync("/api/rollbacks",
                new { component = Component, reason = "SmokeTestsFailed", requestedBy = "bench", correlationId = $"bench-{id}-{run}" }, cancellationToken);
            var rollbackId = lastRollbackId = accepted.GetProperty("rollbackId").GetString()!;
            var phase = "";
            while (phase != "Succeeded")
            {
                if (await host.GetRollbackAsync(rollbackId, cancellationToken) is { } rollback)
                {
                    phase = rollback.GetProperty("phase").GetString() ?? "";
                    if (phase is "Rejected" or "Failed" or "TimedOut" or "Unconfirmed")
                    {
                        throw new InvalidOperationException($"benchmark rollback ended {phase}: {rollback}");
                    }
                }

                if (phase != "Succeeded")
                {
                    await Task.Delay(20, cancellationToken);
                }
            }

            stopwatch.Stop();
            if (run >= Warmup)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        report.Note($"{engine}: {Runs} rollbacks, ms: {string.Join(' ', times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}");
        await NoteTimelineAsync(http, lastRollbackId, engine, report, cancellationToken);
        return times;
    }

    /// <summary>Where the time of the last rollback went: each step's offset from the trigger's receipt.</summary>
    private static async Task NoteTimelineAsync(HttpClient http, string rollbackId, string engine, MetricReport report, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/rollbacks/{rollbackId}", UriKind.Relative), cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var received = json.RootElement.GetProperty("trigger").GetProperty("receivedAt").GetDateTimeOffset();
        var steps = json.RootElement.GetProperty("timeline").EnumerateArray()
            .Select(s => $"{s.GetProperty("name").GetString()}@{(s.GetProperty("at").GetDateTimeOffset() - received).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}")
            .Where(s => !s.StartsWith("Precondition:", StringComparison.Ordinal));
        report.Note($"{engine}: last rollback, ms after receipt: {string.Join(' ', steps)}");
    }

    private static string Artifact(char digit, int run = 0) =>
        "registry.example.com/shop/checkout@sha256:" + run.ToString("x4", CultureInfo.InvariantCulture) + new string(digit, 60);
}
