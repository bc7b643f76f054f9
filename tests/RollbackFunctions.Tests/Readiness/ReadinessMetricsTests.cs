using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RollbackFunctions.Observability;
using RollbackFunctions.Tests.Drills;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Readiness;

/// <summary>The readiness gauge and the drill's R beside <c>rollback.recovery.duration</c> (meter RollbackFunctions).</summary>
public sealed class ReadinessMetricsTests
{
    [Fact]
    public async Task Readiness_is_a_gauge_per_component_and_a_drill_records_its_R()
    {
        await using var host = await DrillTests.StartAsync(new RecordingReadinessNotifications());
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var readiness = new MetricCollector<int>(factory, RollbackTelemetry.SourceName, "rollback.readiness");
        using var drillR = new MetricCollector<double>(factory, RollbackTelemetry.SourceName, "rollback.drill.recovery.duration");
        using var drillsEnded = new MetricCollector<long>(factory, RollbackTelemetry.SourceName, "rollback.drill.ended");
        using var rollbackR = new MetricCollector<double>(factory, RollbackTelemetry.SourceName, "rollback.recovery.duration");
        await host.SeedReleasesAsync();

        await host.Http.GetAsync("api/readiness");
        readiness.RecordObservableInstruments();
        var gauge = readiness.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags[RollbackTelemetry.ComponentTag]!, m => m.Value);
        Assert.Equal(1, gauge["shop"]);
        Assert.Equal(0, gauge["cart"]);

        var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/drills", new { component = "shop" }));
        var drill = await DrillTests.WaitForDrillEndAsync(host, accepted.GetProperty("drillId").GetString()!);

        var measured = Assert.Single(drillR.GetMeasurementSnapshot());
        Assert.Equal(drill.GetProperty("recoverySeconds").GetDouble(), measured.Value, 6);
        Assert.Equal("shop", measured.Tags[RollbackTelemetry.ComponentTag]);
        Assert.Equal("Succeeded", Assert.Single(drillsEnded.GetMeasurementSnapshot()).Tags[RollbackTelemetry.OutcomeTag]);
        Assert.Empty(rollbackR.GetMeasurementSnapshot());
    }
}
