namespace RollbackFunctions.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Refused {Route}: not authenticated ({Reason})")]
    public static partial void Unauthenticated(ILogger logger, string route, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Refused {Route} to {Caller} ({Method}, roles {Roles}): role not allowed")]
    public static partial void Forbidden(ILogger logger, string route, string caller, string method, string roles);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Refused {Action} by {Caller}: the body names operator {Named}")]
    public static partial void OperatorMismatch(ILogger logger, string action, string caller, string named);
}
