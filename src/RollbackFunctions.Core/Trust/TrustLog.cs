namespace RollbackFunctions.Trust;

internal static partial class TrustLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Trigger {Source}/{TriggerId} for {Component} is {Outcome}: {Reason}")]
    public static partial void Refused(ILogger logger, string source, string triggerId, string component, string outcome, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Still unhealthy after rollback {RollbackId} of {Component}: escalation delivered {Delivered} ({Error})")]
    public static partial void LateEscalation(ILogger logger, string rollbackId, string component, bool delivered, string? error);
}
