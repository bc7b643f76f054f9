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
        var route = http.Request.Method + " " + context.FunctionDefinition.Name;

        // The returned IResult is executed after the function: the status code is final only once the response completes.
        http.Response.OnCompleted(() =>
        {
            metrics.IntakeRequest(route, http.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
    }
}
