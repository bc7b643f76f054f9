namespace RollbackFunctions.Deployment.Http;

/// <summary>Provider log lines; none carries a header, a token or a request body.</summary>
internal static partial class ProviderLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "{System} provider {ProviderName}: {Operation} failed (status {StatusCode}, transient {Transient}): {Reason}")]
    public static partial void CallFailed(ILogger logger, string system, string providerName, string operation, int? statusCode, bool transient, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "{System} provider {ProviderName}: rollback {RollbackId} already has run {RunId}; not starting another")]
    public static partial void FoundExistingRun(ILogger logger, string system, string providerName, string rollbackId, string runId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "{System} provider {ProviderName}: started run {RunId} for rollback {RollbackId} of {Component} to {Version}")]
    public static partial void StartedRun(ILogger logger, string system, string providerName, string runId, string rollbackId, string component, string version);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "{System} provider {ProviderName}: starting the run for rollback {RollbackId} failed transiently; looking for it before trying again in {DelayMs} ms")]
    public static partial void StartRetry(ILogger logger, string system, string providerName, string rollbackId, double delayMs);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "{System} provider {ProviderName}: run {RunId} is {State}")]
    public static partial void Progress(ILogger logger, string system, string providerName, string runId, DeploymentState state);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "{System} provider {ProviderName}: obtained an access token valid until {ExpiresOn}")]
    public static partial void TokenObtained(ILogger logger, string system, string providerName, DateTimeOffset expiresOn);
}
