namespace RollbackFunctions.Notifications;

/// <summary>Names channels and keys, never URLs (a webhook URL often carries its secret) or header values.</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Notification {IdempotencyKey} scheduled for {Channels}")]
    public static partial void Scheduled(ILogger logger, string idempotencyKey, string channels);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Notification {IdempotencyKey} was scheduled before; not again")]
    public static partial void AlreadyScheduled(ILogger logger, string idempotencyKey);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Notification {IdempotencyKey} could not be scheduled")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception, string idempotencyKey);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Notification {IdempotencyKey} delivered to {Channel} (attempt {Attempt}, status {StatusCode})")]
    public static partial void Delivered(ILogger logger, string idempotencyKey, string channel, int attempt, int statusCode);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Notification {IdempotencyKey} to {Channel} failed (attempt {Attempt}): {Error}")]
    public static partial void AttemptFailed(ILogger logger, string idempotencyKey, string channel, int attempt, string error);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "Notification {IdempotencyKey} to {Channel} NOT delivered after {Attempts} attempt(s): {Error}")]
    public static partial void Undeliverable(ILogger logger, string idempotencyKey, string channel, int attempts, string? error);
}
