using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Observability;

/// <summary>Counts and times every API request by route template and status code (the dev host's half; the Functions app's worker middleware is the other).</summary>
public sealed class IntakeMetricsEndpointFilter(RollbackMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context).ConfigureAwait(false);
            status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : context.HttpContext.Response.StatusCode;
            return result;
        }
        finally
        {
            var route = (context.HttpContext.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "unknown";
            metrics.IntakeRequest(context.HttpContext.Request.Method + " " + route, status, Stopwatch.GetElapsedTime(started));
        }
    }
}
