namespace RollbackFunctions.Intake;

internal static partial class IntakeLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Trigger {Source}/{TriggerId} for {Component}: {Outcome} rollback {RollbackId}")]
    public static partial void TriggerAccepted(ILogger logger, string source, string triggerId, string component, string outcome, string? rollbackId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Trigger {Source}/{TriggerId} for {Component} refused: {Outcome} ({Reason})")]
    public static partial void TriggerRefused(ILogger logger, string source, string triggerId, string component, string outcome, string? reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Recorded {Kind} for {Component}: {Key}")]
    public static partial void SignalRecorded(ILogger logger, string kind, string component, string key);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Release {Component} {Version} recorded as {Status}: {Outcome}")]
    public static partial void ReleaseRecorded(ILogger logger, string component, string version, string status, string outcome);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Event {EventId} ({EventType}) was applied before; skipped")]
    public static partial void EventAlreadyApplied(ILogger logger, string eventId, string eventType);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Operator {Operator} unfroze {Component} (incident {IncidentRef})")]
    public static partial void Unfrozen(ILogger logger, string @operator, string component, string incidentRef);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Operator {Operator} confirmed rollback {RollbackId}")]
    public static partial void Confirmed(ILogger logger, string @operator, string rollbackId);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "{Caller} aborted rollback {RollbackId}")]
    public static partial void Aborted(ILogger logger, string caller, string rollbackId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "Request {Route} answered {StatusCode}: {Dependency} failed")]
    public static partial void DependencyFailed(ILogger logger, string route, string dependency, int statusCode, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Request {Method} {Path} matches no route: answered {StatusCode}")]
    public static partial void UnmatchedRequest(ILogger logger, string method, string path, int statusCode);
}
