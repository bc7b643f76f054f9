using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Benchmarks;

/// <summary>
/// A regional incident: 100 components each get an Azure Monitor alert (<c>POST /api/alerts</c>, common alert schema)
/// at the same moment, and every external call (deployment start, deployment status, each probe, the incident
/// webhook) takes 200 ms. Run through the dev host as a separate process, once on the persistent Durable Task Azure
/// Storage engine over Azurite and once with <c>DurableEngine:Mode=InMemory</c>. R is each rollback's
/// <c>recoverySeconds</c> (trigger receipt to passed verification) as <c>GET /api/rollbacks/{id}</c> reports it; one lone
/// rollback's R is measured first in the same process, and the target is p95 R at most twice the lone R: a hundred
/// rollbacks at once must not wait behind each other for the engine.
/// </summary>
internal sealed class RegionalIncidentBenchmark : IBenchmark
{
    private const int Components = 100;
    private const string Key = "bench-key";
    private const double TargetRatio = 2.0;
    private static readonly TimeSpan ExternalLatency = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan EngineTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Ends = ["Succeeded", "Rejected", "Failed", "TimedOut", "Unconfirmed", "Aborted"];

    public string Name => "regional-incident";

    public string Description => "100 components alerted at once, 200 ms externals, dev host on Azure Storage and in memory: all Succeeded, R p50/p95/max, p95 R / lone R (target <= 2)";

    public async Task RunAsync(MetricReport report, CancellationToken cancellationToken)
    {
        var storage = Environment.GetEnvironmentVariable("ROLLBACK_TEST_STORAGE")
            ?? throw new InvalidOperationException("ROLLBACK_TEST_STORAGE must name an Azurite (./scripts/bench.sh sets it).");
        var verdicts = new List<string>();
        // BENCH_ENGINES=InMemory (or AzureStorage) runs one engine only, for a quicker comparison of settings.
        var engines = Environment.GetEnvironmentVariable("BENCH_ENGINES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? ["AzureStorage", "InMemory"];
        foreach (var engine in engines)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(EngineTimeout);
            var met = await MeasureAsync(engine, storage, report, bounded.Token);
            verdicts.Add($"{engine}: {(met ? "met" : "NOT met")}");
        }

        report.Note($"target p95 R / lone R <= {TargetRatio} and all {Components} Succeeded: {string.Join(", ", verdicts)}");
    }

    private static async Task<bool> MeasureAsync(string engine, string storage, MetricReport report, CancellationToken cancellationToken)
    {
        var name = engine == "AzureStorage" ? "azure_storage" : "in_memory";
        await using var deployments = await SimulatedDeploymentApi.StartAsync(cancellationToken: cancellationToken);
        await using var endpoints = await SimulatedEndpoints.StartAsync(cancellationToken: cancellationToken);
        await using var incidents = await IncidentSink.StartAsync(cancellationToken: cancellationToken);
        deployments.DefaultScript = DeploymentScript.Succeed(ExternalLatency);
        endpoints.Default = new EndpointBehaviour(200, "Healthy", ExternalLatency);
        incidents.Latency = ExternalLatency;

        var id = Guid.NewGuid().ToString("N")[..10];
        var components = Enumerable.Range(0, Components).Select(i => string.Create(CultureInfo.InvariantCulture, $"region-{i:D3}")).ToList();
        string[] lone = ["lone-warmup", "lone"];
        var work = Directory.CreateTempSubdirectory("regional-incident-");
        try
        {
            var configFile = Path.Combine(work.FullName, "components.json");
            await File.WriteAllTextAsync(configFile, Configuration([.. lone, .. components], deployments, endpoints, incidents), cancellationToken);
            var environment = new Dictionary<string, string>
            {
                ["DurableTaskStorage"] = storage,
                ["RollbackStorage"] = storage,
                ["RollbackTaskHub"] = "Region" + id,
                ["RollbackStorageOptions__TablePrefix"] = "Region" + id,
                ["DurableEngine__Mode"] = engine,
                ["RollbackApi__Keys__0"] = Key,
                ["Logging__LogLevel__Default"] = "Warning",
            };
            await using var host = await DevHostProcess.StartAsync(environment, Key, configFile, cancellationToken);
            report.Note($"{engine}: engine settings {EngineSettings()}");

            // Every component has a healthy release to go back to and a broken one deployed after it.
            using (var seeding = new SemaphoreSlim(8))
            {
                await Task.WhenAll(lone.Concat(components).Select(async component =>
                {
                    await seeding.WaitAsync(cancellationToken);
                    try
                    {
                        await host.PostAsync("/api/releases", new { component, version = "1.0.0", artifact = Artifact(component, 'a'), status = "Verified" }, cancellationToken);
                        await host.PostAsync("/api/releases", new { component, version = "1.1.0", artifact = Artifact(component, 'b'), status = "Deployed" }, cancellationToken);
                    }
                    finally
                    {
                        seeding.Release();
                    }
                }));
            }

            // A warm-up (JIT of every path in the fresh process), then the lone rollback the storm is compared with.
            var loneRollbackId = "";
            foreach (var component in lone)
            {
                var (status, rollbackId) = await SendAlertAsync(host.Http, component, cancellationToken);
                if (status != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"REGIONAL INCIDENT FAILED: the alert for {component} answered {(int)status}");
                }

                loneRollbackId = rollbackId;
                await WaitForEndsAsync(host, [rollbackId], cancellationToken);
            }

            var loneRollback = (await host.GetRollbackAsync(loneRollbackId, cancellationToken))!.Value;
            var loneR = RecoverySeconds(loneRollback) ?? throw new InvalidOperationException($"REGIONAL INCIDENT FAILED: the lone rollback did not succeed: {loneRollback}");
            report.Metric($"regional_incident_{name}_lone_r", loneR * 1000, "ms");

            // All alerts leave together: every request is built and its connection open before the gate opens.
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Components };
            using var storm = new HttpClient(handler) { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            storm.DefaultRequestHeaders.Add("x-functions-key", Key);
            await Task.WhenAll(Enumerable.Range(0, Components).Select(async _ =>
            {
                using var response = await storm.GetAsync(new Uri("/api/rollbacks?limit=1", UriKind.Relative), cancellationToken);
            }));
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sending = components.Select(async component =>
            {
                await gate.Task;
                return await SendAlertAsync(storm, component, cancellationToken);
            }).ToList();
            var stormStarted = Stopwatch.StartNew();
            gate.SetResult();
            var answers = await Task.WhenAll(sending);
            var intakeMs = stormStarted.Elapsed.TotalMilliseconds;
            var refused = answers.Count(a => a.Status != HttpStatusCode.Accepted);
            if (refused > 0)
            {
                throw new InvalidOperationException($"REGIONAL INCIDENT FAILED: {refused} of {Components} alerts were not answered 202");
            }

            var ends = await WaitForEndsAsync(host, [.. answers.Select(a => a.RollbackId)], cancellationToken);
            var allEnded = stormStarted.Elapsed.TotalMilliseconds;
            var succeeded = ends.Count(e => e.GetProperty("phase").GetString() == "Succeeded");
            var recovery = ends.Select(RecoverySeconds).Where(r => r is not null).Select(r => r!.Value * 1000).ToList();
            var p95 = MetricReport.Percentile(recovery, 95);
            var ratio = p95 / (loneR * 1000);
            report.Note($"{engine}: phases " + string.Join(", ", ends.GroupBy(e => e.GetProperty("phase").GetString()).Select(g => $"{g.Key}={g.Count()}")));
            report.Metric($"regional_incident_{name}_succeeded", succeeded, "count");
            report.Metric($"regional_incident_{name}_r_p50", MetricReport.Percentile(recovery, 50), "ms");
            report.Metric($"regional_incident_{name}_r_p95", p95, "ms");
            report.Metric($"regional_incident_{name}_r_max", recovery.Count == 0 ? double.NaN : recovery.Max(), "ms");
            report.Metric($"regional_incident_{name}_p95_to_lone_ratio", ratio, "ratio");
            report.Metric($"regional_incident_{name}_intake_all_202_ms", intakeMs, "ms");
            report.Metric($"regional_incident_{name}_all_ended_ms", allEnded, "ms");
            report.Metric($"regional_incident_{name}_deployment_calls", deployments.Requests.Count, "count");
            var met = succeeded == Components && ratio <= TargetRatio;
            report.Metric($"regional_incident_{name}_target_met", met ? 1 : 0, "bool");
            return met;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The dev host's components, generated: each its own probes on the simulators, no operator confirmation.</summary>
    private static string Configuration(IEnumerable<string> components, SimulatedDeploymentApi deployments, SimulatedEndpoints endpoints, IncidentSink incidents)
    {
        var configured = new JsonObject();
        foreach (var component in components)
        {
            configured[component] = new JsonObject
            {
                ["Kind"] = "BackendService",
                ["Provider"] = "platform",

                // Operator confirmation is a person, not an external call: left out, as in the workflow benchmark.
                ["RequireOperatorConfirmation"] = false,
                ["SmokeProbes"] = new JsonArray(new JsonObject { ["name"] = "smoke", ["Url"] = endpoints.Url($"{component}/smoke").AbsoluteUri }),
                ["HealthChecks"] = new JsonArray(new JsonObject { ["name"] = "health", ["Url"] = endpoints.Url($"{component}/health").AbsoluteUri, ["MaxAttempts"] = 1 }),
            };
        }

        var root = new JsonObject
        {
            ["Rollback"] = new JsonObject
            {
                ["DeploymentPollInterval"] = "00:00:00.100",
                ["Incident"] = new JsonObject { ["Url"] = incidents.IncidentUrl.AbsoluteUri },
                ["Providers"] = new JsonObject
                {
                    ["platform"] = new JsonObject { ["Type"] = "Generic", ["Generic"] = new JsonObject { ["BaseUrl"] = deployments.BaseUrl.AbsoluteUri } },
                },
                ["Components"] = configured,
            },
        };
        return root.ToJsonString();
    }

    private static async Task<(HttpStatusCode Status, string RollbackId)> SendAlertAsync(HttpClient http, string component, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(new
        {
            schemaId = "azureMonitorCommonAlertSchema",
            data = new
            {
                essentials = new
                {
                    alertId = "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.AlertsManagement/alerts/region-" + component,
                    alertRule = component + "-5xx-rate",
                    severity = "Sev1",
                    signalType = "Metric",
                    monitorCondition = "Fired",
                    monitoringService = "Platform",
                    alertTargetIDs = new[] { $"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-region/providers/Microsoft.Web/sites/{component}" },
                    firedDateTime = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    description = "HTTP 5xx above 5% across the region",
                    essentialsVersion = "1.0",
                    alertContextVersion = "1.0",
                },
                alertContext = new { },
                customProperties = new { component },
            },
        });
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/api/alerts", UriKind.Relative), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            Console.Error.WriteLine($"alert for {component}: {(int)response.StatusCode} {body}");
            return (response.StatusCode, "");
        }

        using var answer = JsonDocument.Parse(body);
        return (response.StatusCode, answer.RootElement.GetProperty("rollbackId").GetString()!);
    }

    /// <summary>Polls each rollback until it has ended (a few at a time, so polling does not crowd the host it measures).</summary>
    private static async Task<List<JsonElement>> WaitForEndsAsync(DevHostProcess host, IReadOnlyList<string> rollbackIds, CancellationToken cancellationToken)
    {
        var ended = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        using var polling = new SemaphoreSlim(4);
        while (ended.Count < rollbackIds.Count)
        {
            await Task.Delay(250, cancellationToken);
            var pending = rollbackIds.Where(r => !ended.ContainsKey(r)).ToList();
            var read = await Task.WhenAll(pending.Select(async rollbackId =>
            {
                await polling.WaitAsync(cancellationToken);
                try
                {
                    return (rollbackId, Rollback: await host.GetRollbackAsync(rollbackId, cancellationToken));
                }
                finally
                {
                    polling.Release();
                }
            }));
            foreach (var (rollbackId, rollback) in read)
            {
                if (rollback is { } r && Ends.Contains(r.GetProperty("phase").GetString()))
                {
                    ended[rollbackId] = r;
                }
            }
        }

        return [.. rollbackIds.Select(r => ended[r])];
    }

    private static double? RecoverySeconds(JsonElement rollback) =>
        rollback.GetProperty("phase").GetString() == "Succeeded" && rollback.TryGetProperty("recoverySeconds", out var r) && r.ValueKind == JsonValueKind.Number
            ? r.GetDouble()
            : null;

    private static string EngineSettings() => string.Join(' ', Environment.GetEnvironmentVariables().Keys.Cast<string>()
        .Where(k => k.StartsWith("DurableEngine__", StringComparison.Ordinal) || k.StartsWith("DOTNET_ThreadPool", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
        .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").DefaultIfEmpty("(dev host defaults)"));

    private static string Artifact(string component, char digit) => $"registry.example.com/region/{component}@sha256:" + new string(digit, 64);
}
