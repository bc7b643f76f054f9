using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Domain;
using RollbackFunctions.Simulators;
using RollbackFunctions.Storage;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Benchmarks;

/// <summary>
/// <c>GET /api/readiness</c> through the dev host process for 100 configured components on Azurite: every component
/// with releases (some with no Verified target, so not ready), a quarter with a history of ended rollbacks, some with a
/// drill. The history is written through the app's own stores, as the workflow writes it. Target: p99 at most 500 ms.
/// </summary>
internal sealed class ReadinessBenchmark : IBenchmark
{
    private const int Components = 100;
    private const int Warmup = 5;
    private const int Requests = 50;
    private const double TargetP99Milliseconds = 500;
    private const string Key = "bench-key";

    public string Name => "readiness";

    public string Description => "GET /api/readiness latency for 100 components with releases, rollbacks and drills, through the dev host on Azurite";

    public async Task RunAsync(MetricReport report, CancellationToken cancellationToken)
    {
        var storage = Environment.GetEnvironmentVariable("ROLLBACK_TEST_STORAGE")
            ?? throw new InvalidOperationException("ROLLBACK_TEST_STORAGE must name an Azurite (./scripts/bench.sh sets it).");
        await using var deployments = await SimulatedDeploymentApi.StartAsync(cancellationToken: cancellationToken);
        await using var endpoints = await SimulatedEndpoints.StartAsync(cancellationToken: cancellationToken);
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = Settings(storage, id, deployments, endpoints);

        var seeded = Stopwatch.StartNew();
        var rollbacks = await SeedAsync(settings, cancellationToken);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"seeded {Components} components, {rollbacks} ended rollbacks and drills in {seeded.Elapsed.TotalSeconds:0.0} s"));

        var environment = settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        environment["DurableEngine__Mode"] = "InMemory";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["RollbackApi__Keys__0"] = Key;
        await using var host = await DevHostProcess.StartAsync(environment, Key, configFile: null, cancellationToken);

        var times = new List<double>();
        var ready = 0;
        for (var run = 0; run < Warmup + Requests; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await host.Http.GetAsync(new Uri("/api/readiness", UriKind.Relative), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            stopwatch.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET /api/readiness: {(int)response.StatusCode} {text}");
            }

            using var json = JsonDocument.Parse(text);
            var count = json.RootElement.GetProperty("components").GetArrayLength();
            if (count != Components)
            {
                throw new InvalidOperationException($"readiness listed {count} components, expected {Components}");
            }

            ready = json.RootElement.GetProperty("readyCount").GetInt32();
            if (run >= Warmup)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        var p99 = MetricReport.Percentile(times, 99);
        report.Note($"{Requests} requests after {Warmup} warm-up, ms: {string.Join(' ', times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}");
        report.Metric("readiness_components", Components, "count");
        report.Metric("readiness_ready_components", ready, "count");
        report.Metric("readiness_p50_ms", MetricReport.Percentile(times, 50), "ms");
        report.Metric("readiness_p99_ms", p99, "ms");
        report.Metric("readiness_max_ms", times.Max(), "ms");
        report.Metric("readiness_p99_target_met", p99 <= TargetP99Milliseconds ? 1 : 0, "bool");
        report.Note(string.Create(CultureInfo.InvariantCulture, $"target readiness_p99_ms <= {TargetP99Milliseconds} ms: {(p99 <= TargetP99Milliseconds ? "met" : "NOT met")}"));
    }

    private static Dictionary<string, string> Settings(string storage, string id, SimulatedDeploymentApi deployments, SimulatedEndpoints endpoints)
    {
        var settings = new Dictionary<string, string>
        {
            ["DurableTaskStorage"] = storage,
            ["RollbackStorage"] = storage,
            ["RollbackTaskHub"] = "Bench" + id,
            ["RollbackStorageOptions:TablePrefix"] = "Bench" + id,
            ["Rollback:Providers:platform:Type"] = "Generic",
            ["Rollback:Providers:platform:Generic:BaseUrl"] = deployments.BaseUrl.ToString(),
        };
        for (var i = 0; i < Components; i++)
        {
            var c = $"Rollback:Components:{ComponentName(i)}:";
            settings[c + "Kind"] = "BackendService";
            settings[c + "Provider"] = "platform";
            settings[c + "SmokeProbes:0:Name"] = "smoke";
            settings[c + "SmokeProbes:0:Url"] = endpoints.Url($"{ComponentName(i)}/smoke").ToString();
            settings[c + "HealthChecks:0:Name"] = "health";
            settings[c + "HealthChecks:0:Url"] = endpoints.Url($"{ComponentName(i)}/health").ToString();
            if (i % 10 == 0)
            {
                settings[c + "Drill:Provider"] = "platform";
                settings[c + "Drill:SmokeProbes:0:Name"] = "smoke";
                settings[c + "Drill:SmokeProbes:0:Url"] = endpoints.Url($"drill/{ComponentName(i)}/smoke").ToString();
            }
        }

        return settings;
    }

    /// <summary>Releases for all, ended rollbacks for every fourth component (five each), a drill for every tenth.</summary>
    private static async Task<int> SeedAsync(Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings!).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRollbackWorkflow(configuration);
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<ReleaseLedger>();
        var components = provider.GetRequiredService<ComponentStateStore>();
        var audit = provider.GetRequiredService<RollbackAuditStore>();
        var written = 0;
        await Parallel.ForAsync(0, Components, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var component = ComponentName(i);
            // Every seventh component has no Verified release: not ready.
            var earlier = i % 7 == 0 ? ReleaseStatus.Deployed : ReleaseStatus.Verified;
            var releases = new[] { ("1.0.0", earlier), ("1.1.0", earlier), ("1.2.0", ReleaseStatus.Deployed) };
            var at = DateTimeOffset.UtcNow;
            foreach (var (version, status) in releases)
            {
                await ledger.RecordAsync(component, version, Artifact(i, version), status, "7", null, ct);
                await Task.Delay(2, ct);
            }

            await components.RecordDeployedVersionAsync(component, "1.2.0", verified: false, ct);
            for (var r = 0; i % 4 == 0 && r < 5; r++)
            {
                await audit.RecordAsync(Ended(component, $"{component}-rb-{r}", at.AddHours(-r - 1), r == 4 ? RollbackPhase.TimedOut : RollbackPhase.Succeeded, 20 + (r * 7) + i), [], cancellationToken: ct);
                Interlocked.Increment(ref written);
            }

            if (i % 10 == 0)
            {
                await audit.Drills.RecordAsync(Ended(component, $"{component}-drill-0", at.AddMinutes(-30), RollbackPhase.Succeeded, 15 + i), [], cancellationToken: ct);
                Interlocked.Increment(ref written);
            }
        });
        return written;
    }

    private static RollbackRecord Ended(string component, string id, DateTimeOffset receivedAt, RollbackPhase outcome, double seconds) => new(
        id, component, new RollbackTrigger(TriggerReason.HealthDegraded, TriggerSource.Pipeline, id, receivedAt, "bench", null),
        null, "1.2.0", "1.1.0", null, outcome, receivedAt, receivedAt.AddMinutes(5), 300,
        VerifiedAt: outcome == RollbackPhase.Succeeded ? receivedAt.AddSeconds(seconds) : null,
        RecoverySeconds: outcome == RollbackPhase.Succeeded ? seconds : null,
        EndedAt: receivedAt.AddSeconds(outcome == RollbackPhase.Succeeded ? seconds : 300));

    private static string ComponentName(int i) => string.Create(CultureInfo.InvariantCulture, $"svc{i:D3}");

    private static string Artifact(int i, string version) =>
        string.Create(CultureInfo.InvariantCulture, $"registry.example.com/bench/svc{i:D3}@sha256:") + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{i}/{version}"))).ToLowerInvariant();
}
