using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Simulators;
using RollbackFunctions.Storage;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Benchmarks;

/// <summary>
/// End-to-end rollbacks on the in-process Durable Task engine with Azurite and loopback simulators: (1) the median
/// time of a rollback whose external calls answer at once (target at most 50 ms); (2) the ratio of end-to-end time to
/// the sum of the external calls' latencies when each takes 200 ms (target at most 1.10), for a successful rollback
/// and for one that fails verification and escalates.
/// </summary>
internal sealed class WorkflowBenchmark : IBenchmark
{
    private const int WarmUp = 5;
    private const int InstantRuns = 25;
    private const int SlowRuns = 7;
    private const double TargetInstantMedianMs = 50;
    private const double TargetLatencyRatio = 1.10;
    private static readonly TimeSpan SlowLatency = TimeSpan.FromMilliseconds(200);

    public string Name => "workflow";

    public string Description => "rollback end-to-end: median time with instant externals, overhead ratio with 200 ms externals";

    public async Task RunAsync(MetricReport report, CancellationToken cancellationToken)
    {
        var storage = Environment.GetEnvironmentVariable("ROLLBACK_TEST_STORAGE")
            ?? throw new InvalidOperationException("ROLLBACK_TEST_STORAGE is not set: run through ./scripts/bench.sh workflow");
        await using var api = await SimulatedDeploymentApi.StartAsync(cancellationToken: cancellationToken);
        await using var endpoints = await SimulatedEndpoints.StartAsync(cancellationToken: cancellationToken);
        await using var incidents = await IncidentSink.StartAsync(cancellationToken: cancellationToken);

        var components = WarmUp + InstantRuns + (2 * SlowRuns);
        var settings = new Dictionary<string, string?>
        {
            ["RollbackStorage"] = storage,
            ["RollbackStorageOptions:TablePrefix"] = "Bench" + Guid.NewGuid().ToString("N")[..8],
            ["Rollback:Budget"] = "00:01:00",
            ["Rollback:DeploymentPollInterval"] = "00:00:00.100",
            ["Rollback:Incident:Url"] = incidents.IncidentUrl.AbsoluteUri,
            ["Rollback:Providers:platform:Type"] = "Generic",
            ["Rollback:Providers:platform:Generic:BaseUrl"] = api.BaseUrl.AbsoluteUri,
        };
        for (var i = 0; i < components; i++)
        {
            var c = $"Rollback:Components:c{i}";
            settings[$"{c}:Kind"] = "BackendService";
            settings[$"{c}:Provider"] = "platform";

            // Operator confirmation is a person, not an external call: left out of the timing.
            settings[$"{c}:RequireOperatorConfirmation"] = "false";
            settings[$"{c}:SmokeProbes:0:Url"] = endpoints.Url($"c{i}/smoke").AbsoluteUri;
            settings[$"{c}:HealthChecks:0:Url"] = endpoints.Url($"c{i}/health").AbsoluteUri;
            settings[$"{c}:HealthChecks:0:MaxAttempts"] = "1";
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is not null)
        {
            builder.Logging.AddSimpleConsole(o => { o.TimestampFormat = "HH:mm:ss.fff "; o.SingleLine = true; }).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        }
        builder.Services.AddRollbackWorkflow(builder.Configuration);
        builder.Services.AddRollbackStarter(builder.Configuration);
        builder.Services.AddInMemoryDurableTask(registry => registry
            .AddRollbackWorkflow()
            .AddOrchestrator<EngineBaselineOrchestrator>()
            .AddActivity<EmptyActivity>(), new InMemoryDurableTaskOptions { Port = LoopbackPorts.Free() });
        builder.Services.AddRollbackWorkflowVersioning();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var starter = host.Services.GetRequiredService<IRollbackStarter>();
        var ledger = host.Services.GetRequiredService<ReleaseLedger>();
        var state = host.Services.GetRequiredService<ComponentStateStore>();
        for (var i = 0; i < components; i++)
        {
            var component = $"c{i}";
            await ledger.RecordAsync(component, "1.0.0", Digest('a'), ReleaseStatus.Verified, "1", null, cancellationToken);
            await Task.Delay(2, cancellationToken);
            await ledger.RecordAsync(component, "2.0.0", Digest('b'), ReleaseStatus.Deployed, "1", null, cancellationToken);
            await state.RecordDeployedVersionAsync(component, "2.0.0", verified: false, cancellationToken);
        }

        var next = 0;
        async Task<(double Milliseconds, RollbackResult Result)> RollbackAsync()
        {
            var component = $"c{next++}";
            var receivedAt = DateTimeOffset.UtcNow;
            var started = await starter.StartOrJoinAsync(client, new StartRollbackCommand(component, null, new RollbackTrigger(
                TriggerReason.SmokeTestsFailed, TriggerSource.Pipeline, "bench-" + component, receivedAt, "bench", null)), cancellationToken);

            // End to end: from the trigger's receipt to the engine's completion time of the orchestration. The client's
            // wait answers some milliseconds later (its notification delay, not the rollback's time) and polling
            // closely would steal the CPU the engine needs.
            var instance = await client.WaitForInstanceCompletionAsync(started.RollbackId!, getInputsAndOutputs: true, cancellationToken);
            var elapsed = instance.LastUpdatedAt - receivedAt;
            var result = instance.ReadOutputAs<RollbackResult>() ?? throw new InvalidOperationException($"rollback {started.RollbackId} {instance.RuntimeStatus}: {instance.FailureDetails}");
            return (elapsed.TotalMilliseconds, result);
        }

        var baselineRuns = 0;
        async Task<double> BaselineAsync()
        {
            // Timed as the rollback is: from just before the schedule call to the engine's completion time.
            var startedAt = DateTimeOffset.UtcNow;
            var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(nameof(EngineBaselineOrchestrator), $"baseline-{baselineRuns++}", cancellationToken);
            var instance = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed || instance.ReadOutputAs<int>() != EngineBaselineOrchestrator.Activities)
            {
                throw new InvalidOperationException($"baseline orchestration {instanceId} {instance.RuntimeStatus}: {instance.FailureDetails}");
            }

            return (instance.LastUpdatedAt - startedAt).TotalMilliseconds;
        }

        api.DefaultScript = DeploymentScript.Succeed();
        for (var i = 0; i < WarmUp; i++)
        {
            await RollbackAsync();
            await BaselineAsync();
        }

        // Interleaved, so both see the same machine: it is shared and its load moves within a run.
        var instant = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < InstantRuns; i++)
        {
            var (ms, result) = await RollbackAsync();
            Expect(result, RollbackPhase.Succeeded);
            instant.Add(ms);
            baseline.Add(await BaselineAsync());
        }

        var instantMedian = MetricReport.Percentile(instant, 50);
        var baselineMedian = MetricReport.Percentile(baseline, 50);
        report.Metric("workflow_instant_median_ms", instantMedian, "ms");
        report.Metric("workflow_engine_baseline_median_ms", baselineMedian, "ms");
        report.Metric("workflow_engine_baseline_p90_ms", MetricReport.Percentile(baseline, 90), "ms");
        report.Metric("workflow_instant_to_baseline_ratio", instantMedian / baselineMedian, "ratio");
        report.Note(string.Create(CultureInfo.InvariantCulture, $"baseline: an orchestration of {EngineBaselineOrchestrator.Activities} empty activities in sequence on the same engine, interleaved with the instant rollbacks"));
        await DebugTimelineAsync(host.Services, $"c{next - 1}", report, cancellationToken);
        report.Metric("workflow_instant_p90_ms", MetricReport.Percentile(instant, 90), "ms");

        api.DefaultScript = DeploymentScript.Succeed(SlowLatency);
        endpoints.Default = new EndpointBehaviour(200, "Healthy", SlowLatency);
        incidents.Latency = SlowLatency;
        var succeeded = await MeasureRatioAsync(RollbackAsync, RollbackPhase.Succeeded, api, endpoints, incidents);
        report.Metric("workflow_200ms_success_ratio", succeeded.Ratio, "ratio");
        report.Metric("workflow_200ms_success_median_ms", succeeded.MedianMs, "ms");
        report.Metric("workflow_200ms_success_ratio_to_served", succeeded.RatioToServed, "ratio");
        await DebugTimelineAsync(host.Services, $"c{next - 1}", report, cancellationToken);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"success path: {succeeded.Calls} external calls of 200 ms each (start, status, smoke, health)"));

        // A health check that fails its only attempt: the rollback fails, freezes and escalates (one more external call).
        for (var i = next; i < components; i++)
        {
            endpoints.Set($"/c{i}/health", new EndpointBehaviour(503, "Unhealthy", SlowLatency));
        }

        var failed = await MeasureRatioAsync(RollbackAsync, RollbackPhase.Failed, api, endpoints, incidents);
        report.Metric("workflow_200ms_failure_ratio", failed.Ratio, "ratio");
        report.Metric("workflow_200ms_failure_median_ms", failed.MedianMs, "ms");
        report.Metric("workflow_200ms_failure_ratio_to_served", failed.RatioToServed, "ratio");
        report.Note(string.Create(CultureInfo.InvariantCulture, $"failure path: {failed.Calls} external calls of 200 ms each (start, status, smoke, health, incident)"));
        var latencyRatio = Math.Max(succeeded.Ratio, failed.Ratio);
        report.Metric("workflow_latency_ratio", latencyRatio, "ratio");
        report.Metric("workflow_instant_target_met", instantMedian <= TargetInstantMedianMs ? 1 : 0, "bool");
        report.Metric("workflow_latency_target_met", latencyRatio <= TargetLatencyRatio ? 1 : 0, "bool");
        report.Note(string.Create(CultureInfo.InvariantCulture, $"target workflow_instant_median_ms <= {TargetInstantMedianMs}: {(instantMedian <= TargetInstantMedianMs ? "met" : "NOT met")} ({instantMedian:0.0} ms)"));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"target workflow_latency_ratio <= {TargetLatencyRatio}: {(latencyRatio <= TargetLatencyRatio ? "met" : "NOT met")} ({latencyRatio:0.000})"));
        await host.StopAsync(cancellationToken);
    }

    private static async Task<(double Ratio, double MedianMs, double Calls, double RatioToServed)> MeasureRatioAsync(
        Func<Task<(double Milliseconds, RollbackResult Result)>> rollback, RollbackPhase expected,
        SimulatedDeploymentApi api, SimulatedEndpoints endpoints, IncidentSink incidents)
    {
        var ratios = new List<double>();
        var servedRatios = new List<double>();
        var times = new List<double>();
        double calls = 0;
        for (var i = 0; i < SlowRuns; i++)
        {
            var before = api.Requests.Count + endpoints.TotalHits + incidents.Attempts.Count;
            var servedBefore = api.ServedTime + endpoints.ServedTime + incidents.ServedTime;
            var (ms, result) = await rollback();
            var served = api.ServedTime + endpoints.ServedTime + incidents.ServedTime - servedBefore;
            Expect(result, expected);
            calls = api.Requests.Count + endpoints.TotalHits + incidents.Attempts.Count - before;
            ratios.Add(ms / (calls * SlowLatency.TotalMilliseconds));
            servedRatios.Add(ms / served.TotalMilliseconds);
            times.Add(ms);
        }

        return (MetricReport.Percentile(ratios, 50), MetricReport.Percentile(times, 50), calls, MetricReport.Percentile(servedRatios, 50));
    }

    /// <summary>With BENCH_DEBUG set: where the time of the last rollback went, step by step.</summary>
    private static async Task DebugTimelineAsync(IServiceProvider services, string component, MetricReport report, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is null)
        {
            return;
        }

        var audit = services.GetRequiredService<RollbackAuditStore>();
        var last = (await audit.ListAsync(component, 1, cancellationToken))[0];
        var (summary, steps, _) = await audit.GetTimelineAsync(last.RollbackId, cancellationToken);
        var received = summary!.Trigger.ReceivedAt;
        report.Note(string.Create(CultureInfo.InvariantCulture, $"{last.RollbackId}: started +{(summary.StartedAt - received).TotalMilliseconds:0} ms, ended +{(summary.EndedAt!.Value - received).TotalMilliseconds:0} ms"));
        foreach (var step in steps)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture, $"  +{(step.At - received).TotalMilliseconds,6:0} ms {step.Name} {step.Status}"));
        }
    }

    private static void Expect(RollbackResult result, RollbackPhase expected)
    {
        if (result.Outcome != expected)
        {
            throw new InvalidOperationException($"rollback {result.RollbackId} ended {result.Outcome}, expected {expected}: {result.Reason}");
        }
    }

    private static string Digest(char c) => "registry.example.test/bench@sha256:" + new string(c, 64);
}
