using RollbackFunctions.Drills;

namespace RollbackFunctions.Readiness;

/// <summary>The seam's default until a notification channel is wired: each event as a structured log record.</summary>
public sealed partial class LoggedReadinessNotifications(ILogger<LoggedReadinessNotifications> logger) : IReadinessNotifications
{
    public Task ReadinessChangedAsync(DurableTaskClient client, ReadinessChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Ready)
        {
            LogReady(logger, change.Component);
        }
        else
        {
            LogLost(logger, change.Component, change.Reason ?? "");
        }

        return Task.CompletedTask;
    }

    public Task DrillEndedAsync(DurableTaskClient client, DrillEnded drill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        LogDrillEnded(logger, drill.DrillId, drill.Component, drill.Outcome.ToString(), drill.RecoverySeconds, drill.Reason);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "{Component} is no longer ready for rollback: {Reason}")]
    private static partial void LogLost(ILogger logger, string component, string reason);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "{Component} is ready for rollback again")]
    private static partial void LogReady(ILogger logger, string component);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Drill {DrillId} of {Component} ended {Outcome} (R = {RecoverySeconds} s): {Reason}")]
    private static partial void LogDrillEnded(ILogger logger, string drillId, string component, string outcome, double? recoverySeconds, string reason);
}
