namespace RollbackFunctions.Gate;

internal static partial class GateLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "GitHub deployment protection event refused: {Problem} signature")]
    public static partial void SignatureRefused(ILogger logger, string problem);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "GitHub environment {Environment} maps to no component; no review sent")]
    public static partial void EnvironmentUnmapped(ILogger logger, string environment);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Deployment protection callback for {Environment} is not under the configured API host {ApiHost}; no token sent")]
    public static partial void CallbackRefused(ILogger logger, string environment, string apiHost);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Deployment protection review for {Environment} ({Component}) failed: {Reason}")]
    public static partial void CallbackFailed(ILogger logger, string environment, string component, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Deployment to {Environment} ({Component}) {State} by the rollback gate")]
    public static partial void Reviewed(ILogger logger, string environment, string component, string state);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Version {Version} of {Component} was deployed while its gate was closed ({ClosedBy}): escalated")]
    public static partial void GateClosedDeploymentEscalated(ILogger logger, string component, string version, string closedBy);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Version {Version} of {Component} was deployed while its gate was closed; the escalation was not delivered: {Error}")]
    public static partial void GateClosedDeploymentNotEscalated(ILogger logger, string component, string version, string error);
}
