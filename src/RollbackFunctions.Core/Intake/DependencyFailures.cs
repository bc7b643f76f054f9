using Azure;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Intake;

/// <summary>
/// A dependency the intake needs (Table Storage, the Durable Task engine) failed or timed out. The caller gets
/// <c>503</c> problem details with <c>Retry-After</c>: every intake path is idempotent by the trigger's id, so the
/// sender's retry (action groups, Event Grid and pipelines all retry) completes the work and nothing is lost.
/// </summary>
public static class DependencyFailures
{
    public const int RetryAfterSeconds = 5;

    /// <summary>The dependency that failed, or null when the exception is not a dependency failure (a bug: let it be a 500).</summary>
    public static string? Classify(Exception exception, CancellationToken requestAborted) => exception switch
    {
        RequestFailedException => "Table Storage",
        // Both hosts talk to the engine over gRPC; the library names the type rather than take a gRPC dependency.
        _ when exception.GetType().FullName == "Grpc.Core.RpcException" => "the Durable Task engine",
        HttpRequestException => "a downstream service",
        TimeoutException => "a dependency (timed out)",
        OperationCanceledException when !requestAborted.IsCancellationRequested => "a dependency (timed out)",
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Classify(aggregate.InnerExceptions[0], requestAborted),
        _ => null,
    };

    public static IResult Unavailable(string dependency) => new UnavailableResult(dependency);

    private sealed class UnavailableResult(string dependency) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status503ServiceUnavailable;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(
                title: $"{char.ToUpperInvariant(dependency[0])}{dependency[1..]} is unavailable: nothing was lost, retry in {RetryAfterSeconds} seconds.",
                detail: "The request was not applied, or was applied in part in a way the same request completes when retried.",
                statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
        }
    }
}
