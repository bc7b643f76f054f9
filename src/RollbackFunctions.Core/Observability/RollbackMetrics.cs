using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RollbackFunctions.Observability;

/// <summary>
/// The app's instruments. Recorded from activities and intake handlers (never from orchestrator code, which replays);
/// an activity retried after a crash may record twice, which the counters tolerate as at-least-once.
/// </summary>
public sealed class RollbackMetrics
{
    private readonly Counter<long> _rollbacksEnded;
    private readonly Histogram<double> _recoveryTime;
    private readonly Histogram<double> _budgetRemaining;
    private readonly Counter<long> _triggers;
    private readonly Counter<long> _intakeRequests;
    private readonly Histogram<double> _intakeDuration;
    private readonly Counter<long> _drillsEnded;
    private readonly Histogram<double> _drillRecoveryTime;

    // The last readiness seen of each component (the route or the scheduled check), observed by the gauge.
    private readonly ConcurrentDictionary<string, int> _readiness = new(StringComparer.Ordinal);

    public RollbackMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(RollbackTelemetry.SourceName);
        _rollbacksEnded = meter.CreateCounter<long>("rollback.ended", "{rollback}", "Rollbacks that reached an end, by outcome and component.");
        _recoveryTime = meter.CreateHistogram<double>(
            "rollback.recovery.duration", "s", "R: from the trigger's receipt to passed automated verification.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360] });
        _budgetRemaining = meter.CreateHistogram<double>(
            "rollback.budget.remaining", "s", "Budget left when automated verification ended (negative: exceeded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [-60, 0, 30, 60, 120, 180, 240, 270, 300] });
        _triggers = meter.CreateCounter<long>("rollback.triggers", "{trigger}", "Triggers received, by source and what they did (started, joined, duplicate, refused).");
        _intakeRequests = meter.CreateCounter<long>("rollback.intake.requests", "{request}", "Intake HTTP requests, by route and status code.");
        _intakeDuration = meter.CreateHistogram<double>(
            "rollback.intake.duration", "ms", "Intake HTTP request latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000] });
        _drillsEnded = meter.CreateCounter<long>("rollback.drill.ended", "{drill}", "Rollback drills that reached an end, by outcome and component.");
        _drillRecoveryTime = meter.CreateHistogram<double>(
            "rollback.drill.recovery.duration", "s", "A drill's R: from its request to passed automated verification in the drill environment.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360] });
        meter.CreateObservableGauge(
            "rollback.readiness", () => _readiness.Select(r => new Measurement<int>(r.Value, new KeyValuePair<string, object?>(RollbackTelemetry.ComponentTag, r.Key))),
            "{ready}", "1 when a rollback of the component triggered now would be accepted, 0 when not (last readiness read).");
    }

    public void DrillEnded(string component, RollbackPhase outcome, double? recoverySeconds)
    {
        var tags = new TagList { { RollbackTelemetry.ComponentTag, component }, { RollbackTelemetry.OutcomeTag, outcome.ToString() } };
        _drillsEnded.Add(1, tags);
        if (recoverySeconds is { } r)
        {
            _drillRecoveryTime.Record(r, tags);
        }
    }

    public void ReadinessObserved(string component, bool ready) => _readiness[component] = ready ? 1 : 0;

    public void RollbackEnded(string component, RollbackPhase outcome, double? recoverySeconds, double? budgetRemainingSeconds)
    {
        var tags = new TagList { { RollbackTelemetry.ComponentTag, component }, { RollbackTelemetry.OutcomeTag, outcome.ToString() } };
        _rollbacksEnded.Add(1, tags);
        if (recoverySeconds is { } r)
        {
            _recoveryTime.Record(r, tags);
        }

        if (budgetRemainingSeconds is { } remaining)
        {
            _budgetRemaining.Record(remaining, tags);
        }
    }

    public void TriggerReceived(string component, TriggerSource source, string result) =>
        _triggers.Add(1, new TagList
        {
            { RollbackTelemetry.ComponentTag, component },
            { RollbackTelemetry.TriggerSourceTag, source.ToString() },
            { "rollback.trigger.result", result },
        });

    public void IntakeRequest(string route, int statusCode, TimeSpan elapsed)
    {
        var tags = new TagList { { RollbackTelemetry.RouteTag, route }, { RollbackTelemetry.StatusCodeTag, statusCode } };
        _intakeRequests.Add(1, tags);
        _intakeDuration.Record(elapsed.TotalMilliseconds, tags);
    }
}
