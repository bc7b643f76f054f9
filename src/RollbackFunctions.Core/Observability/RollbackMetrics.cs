using System.Diagnostics;
using System.Diagnostics.Metrics;
using RollbackFunctions.Domain;

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
    }

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
