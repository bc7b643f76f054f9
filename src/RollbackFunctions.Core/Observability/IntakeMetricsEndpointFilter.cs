using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RollbackFunctions.Observability;

/// <summary>Counts and times every API request by route template and status code (the dev host's half; the Functions app's worker middleware is the other).</summary>
public sealed class IntakeMetricsEndpointFilter(RollbackMetrics metrics) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        var http = context.HttpContext;
        var route = http.Request.Method + " " + ((http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown");

        // The handler returns an IResult that is executed after the filters: only when the response is complete are
        // its status code and the full latency (including serialization) known.
        http.Response.OnCompleted(() =>
        {
            metrics.IntakeRequest(route, http.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            return Task.CompletedTask;
        });
        return next(context);
    }
}
