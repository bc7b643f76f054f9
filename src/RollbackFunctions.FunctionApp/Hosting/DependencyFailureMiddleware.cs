using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Intake;

namespace RollbackFunctions.FunctionApp.Hosting;

/// <summary>The Functions host's counterpart of <see cref="DependencyFailureEndpointFilter"/>: HTTP functions only.</summary>
internal sealed partial class DependencyFailureMiddleware(ILogger<DependencyFailureMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (http is not null && DependencyFailures.Classify(ex, http.RequestAborted) is { } dependency)
        {
            LogUnavailable(logger, context.FunctionDefinition.Name, dependency, ex);
            context.GetInvocationResult().Value = DependencyFailures.Unavailable(dependency);
        }
    }

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "Function {Function} answered 503: {Dependency} is unavailable")]
    private static partial void LogUnavailable(ILogger logger, string function, string dependency, Exception exception);
}
