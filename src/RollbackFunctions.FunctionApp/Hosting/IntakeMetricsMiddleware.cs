using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using RollbackFunctions.Observability;

namespace RollbackFunctions.FunctionApp.Hosting;

/// <summary>The Functions host's counterpart of the dev host's intake metrics filter: HTTP functions only.</summary>
internal sealed class IntakeMetricsMiddleware(RollbackMetrics metrics) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.GetInvocationResult().Value is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
        }
        finally
        {
            metrics.IntakeRequest(http.Request.Method + " " + context.FunctionDefinition.Name, status, Stopwatch.GetElapsedTime(started));
        }
    }
}
