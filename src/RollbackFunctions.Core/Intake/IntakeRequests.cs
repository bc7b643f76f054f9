using System.Diagnostics;
using RollbackFunctions.Observability;

namespace RollbackFunctions.Intake;

/// <summary>
/// What every API request gets on either host, in one place: it is counted and timed under its route's label from
/// <see cref="RollbackRoutes"/> (<c>POST /api/rollbacks</c>, the same on both hosts), and a failing dependency becomes
/// the answer <see cref="DependencyFailures"/> gives. The dev host's endpoint filter and the Functions app's worker
/// middleware only adapt their pipeline to these two calls.
/// </summary>
public sealed class IntakeRequests(RollbackMetrics metrics, ILogger<IntakeRequests> logger)
{
    public const string UnmatchedRoute = "unmatched";

    /// <summary>Counts and times the request once its response is complete (the returned IResult runs after the handler).</summary>
    public void Observe(HttpContext http, RollbackRoute? route)
    {
        ArgumentNullException.ThrowIfNull(http);
        var started = Stopwatch.GetTimestamp();
        var label = route?.Label ?? UnmatchedRoute;
        http.Response.OnCompleted(() =>
        {
            metrics.IntakeRequest(label, http.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            return Task.CompletedTask;
        });
    }

    /// <summary>The answer for a dependency's failure, or null when <paramref name="exception"/> is not one (it stays a 500).</summary>
    public IResult? AnswerFailure(Exception exception, HttpContext http, RollbackRoute? route)
    {
        ArgumentNullException.ThrowIfNull(http);
        IntakeDeadline.End(http);
        if (DependencyFailures.Classify(exception, IntakeDeadline.ClientAborted(http)) is not { } failure)
        {
            return null;
        }

        IntakeLog.DependencyFailed(logger, route?.Label ?? http.Request.Path.Value ?? "", failure.Dependency, failure.StatusCode, exception);
        return DependencyFailures.ToResult(failure);
    }
}
