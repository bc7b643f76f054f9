using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RollbackFunctions.Domain;
using RollbackFunctions.Observability;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Observability;

public sealed class RollbackTelemetryTests
{
    [Fact]
    public async Task One_trace_follows_an_alert_from_the_intake_request_to_the_deployment_call_and_every_span_carries_the_rollback_id()
    {
        var spans = new List<Activity>();
        await using var host = await IntakeTestHost.StartAsync(configureServices: (services, configuration) =>
            services.AddRollbackTelemetry(configuration, "rollback-functions-tests").WithTracing(tracing => tracing.AddInMemoryExporter(spans)));
        await host.SeedReleasesAsync();

        var response = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("trace")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rollbackId = (await IntakeTestHost.BodyAsync(response)).GetProperty("rollbackId").GetString()!;
        await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostAsync($"api/rollbacks/{rollbackId}/confirm", new { @operator = "oncall@example.test" })).StatusCode);
        await host.WaitForPhaseAsync(rollbackId, null);

        // The orchestration's own span (the parent of its activities' spans) is exported when the orchestration completes.
        await WaitUntilAsync(() => { lock (spans) { return spans.Any(s => s.DisplayName.Contains(nameof(global::RollbackFunctions.Workflow.RollbackOrchestrator), StringComparison.Ordinal) && s.GetTagItem(RollbackTelemetry.RollbackIdTag) as string == rollbackId); } });

        // Listeners are process-wide and tests run in parallel: follow this rollback's trace only.
        Activity[] Snapshot() { lock (spans) { return [.. spans]; } }
        var intake = Snapshot().Single(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("alerts", StringComparison.Ordinal)
            && s.GetTagItem(RollbackTelemetry.RollbackIdTag) as string == rollbackId);
        var trace = Snapshot().Where(s => s.TraceId == intake.TraceId).ToList();

        var deploymentActivities = trace.Where(s => s.Source.Name == RollbackTelemetry.DurableTaskSourceName
            && s.DisplayName.Contains(nameof(global::RollbackFunctions.Workflow.StartDeploymentActivity), StringComparison.Ordinal)).ToList();
        var deploymentCalls = trace.Where(s => s.Kind == ActivityKind.Client && s.GetTagItem("url.full") is string url
            && url.StartsWith(host.Api.BaseUrl.AbsoluteUri, StringComparison.Ordinal) && s.GetTagItem("http.request.method") as string == "POST").ToList();
        Assert.NotEmpty(deploymentActivities);
        Assert.NotEmpty(deploymentCalls);
        Assert.Contains(trace, s => s.Source.Name == RollbackTelemetry.DurableTaskSourceName && s.DisplayName.Contains(nameof(global::RollbackFunctions.Workflow.RollbackOrchestrator), StringComparison.Ordinal));

        // The deployment call descends from the deployment activity, which descends from the intake request.
        Assert.All(deploymentCalls, call => Assert.True(deploymentActivities.Any(a => IsDescendant(call, a, trace)), "a deployment call is not under the deployment activity"));
        Assert.All(deploymentActivities, a => Assert.True(IsDescendant(a, intake, trace), "the deployment activity is not under the intake request"));
        // The app's own spans (its source and Durable Task's) and every outbound call made under them carry the id.
        // Not asserted: the simulators' and the in-process sidecar's server spans (other services in production), and
        // the intake's storage lookups that decide which rollback a trigger belongs to (the id does not exist yet).
        var durable = trace.Where(s => s.Source.Name == RollbackTelemetry.DurableTaskSourceName).ToList();
        var appSpans = trace.Where(s => s.Source.Name is RollbackTelemetry.SourceName or RollbackTelemetry.DurableTaskSourceName
            || (s.Kind == ActivityKind.Client && durable.Any(d => IsDescendant(s, d, trace)))).ToList();
        Assert.True(appSpans.Count >= 8, $"expected the orchestration, its activities and their calls, saw {appSpans.Count} spans");
        Assert.All(appSpans, s => Assert.True(rollbackId == s.GetTagItem(RollbackTelemetry.RollbackIdTag) as string, $"{s.Source.Name} {s.DisplayName} lacks the rollback id"));
        Assert.Equal(rollbackId, intake.GetTagItem(RollbackTelemetry.RollbackIdTag));
    }

    [Fact]
    public async Task Metrics_count_a_Succeeded_and_a_TimedOut_rollback_with_R_and_the_budget_left()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => settings["Rollback:Budget"] = "00:00:04");
        var factory = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var ended = new MetricCollector<long>(factory, RollbackTelemetry.SourceName, "rollback.ended");
        using var recovery = new MetricCollector<double>(factory, RollbackTelemetry.SourceName, "rollback.recovery.duration");
        using var remaining = new MetricCollector<double>(factory, RollbackTelemetry.SourceName, "rollback.budget.remaining");
        using var triggers = new MetricCollector<long>(factory, RollbackTelemetry.SourceName, "rollback.triggers");
        using var intake = new MetricCollector<double>(factory, RollbackTelemetry.SourceName, "rollback.intake.duration");
        await host.SeedReleasesAsync(IntakeTestHost.Component);
        await host.SeedReleasesAsync(IntakeTestHost.OtherComponent);
        host.Api.ScriptFor(IntakeTestHost.OtherComponent, DeploymentScript.RunForever());

        var succeeded = await StartAsync(host, IntakeTestHost.Component);
        var timedOut = await StartAsync(host, IntakeTestHost.OtherComponent);
        await host.WaitForPhaseAsync(succeeded, RollbackPhase.AwaitingConfirmation);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostAsync($"api/rollbacks/{succeeded}/confirm", new { @operator = "oncall@example.test" })).StatusCode);
        Assert.Equal("Succeeded", (await host.WaitForPhaseAsync(succeeded, null)).GetProperty("outcome").GetString());
        var timedOutView = await host.WaitForPhaseAsync(timedOut, null);
        Assert.True(timedOutView.GetProperty("outcome").GetString() == "TimedOut", timedOutView.ToString());

        var ends = ended.GetMeasurementSnapshot();
        Assert.Equal(1, ends.Count(m => Tag(m.Tags, RollbackTelemetry.OutcomeTag) == "Succeeded" && Tag(m.Tags, RollbackTelemetry.ComponentTag) == IntakeTestHost.Component));
        Assert.Equal(1, ends.Count(m => Tag(m.Tags, RollbackTelemetry.OutcomeTag) == "TimedOut" && Tag(m.Tags, RollbackTelemetry.ComponentTag) == IntakeTestHost.OtherComponent));

        // R exists only where automated verification passed, and it fits the budget.
        var r = Assert.Single(recovery.GetMeasurementSnapshot());
        Assert.Equal("Succeeded", Tag(r.Tags, RollbackTelemetry.OutcomeTag));
        Assert.InRange(r.Value, 0, 4);
        var left = remaining.GetMeasurementSnapshot();
        Assert.InRange(left.Single(m => Tag(m.Tags, RollbackTelemetry.OutcomeTag) == "Succeeded").Value, 0, 4);
        Assert.True(left.Single(m => Tag(m.Tags, RollbackTelemetry.OutcomeTag) == "TimedOut").Value <= 0.5, "a timed-out rollback has no budget left");

        Assert.Equal(2, triggers.GetMeasurementSnapshot().Count(m => Tag(m.Tags, "rollback.trigger.result") == "Started"));
        Assert.Contains(intake.GetMeasurementSnapshot(), m => Tag(m.Tags, RollbackTelemetry.RouteTag) == "POST /api/rollbacks" && (int?)m.Tags[RollbackTelemetry.StatusCodeTag] == 202);
    }

    private static async Task<string> StartAsync(IntakeTestHost host, string component)
    {
        var response = await host.PostAsync("api/rollbacks", new { component, reason = "HealthDegraded", requestedBy = "telemetry-test" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await IntakeTestHost.BodyAsync(response)).GetProperty("rollbackId").GetString()!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }
    }

    private static string? Tag(IReadOnlyDictionary<string, object?> tags, string name) => tags.TryGetValue(name, out var value) ? value?.ToString() : null;

    private static bool IsDescendant(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var current = span;
        for (var depth = 0; depth < 64 && current.ParentSpanId != default; depth++)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            if (!byId.TryGetValue(current.ParentSpanId, out var parent))
            {
                return false;
            }

            current = parent;
        }

        return false;
    }
}
