using Azure;

namespace RollbackFunctions.Intake;

/// <summary>What a failed dependency call means to the caller, and whether retrying can help.</summary>
/// <param name="StatusCode">Our answer: 503 when retrying can help, else what the dependency's refusal means.</param>
public sealed record DependencyFailure(string Dependency, int StatusCode, string Title)
{
    public bool Retryable => StatusCode == StatusCodes.Status503ServiceUnavailable;
}

/// <summary>
/// Maps a dependency's failure (Table Storage, the Durable Task engine) to an answer. Only what retrying can cure is
/// <c>503</c> with <c>Retry-After</c> (every intake path is idempotent by the trigger's id, so the sender's retry
/// completes the work and nothing is lost): a timeout, a network failure, a 408, 429 or 5xx. A storage refusal of the
/// request itself is not "unavailable": 400 is the request's fault (a value storage will not take), 409 a conflict with
/// what is stored, and 401/403 (or any other refusal) the app's own misconfiguration: <c>500</c> without
/// <c>Retry-After</c>, with the storage error code for the operator.
/// </summary>
public static class DependencyFailures
{
    public const int RetryAfterSeconds = 5;

    /// <summary>The failure, or null when the exception is not a dependency's (a bug: let it be a 500).</summary>
    public static DependencyFailure? Classify(Exception exception, CancellationToken requestAborted) => exception switch
    {
        RequestFailedException storage => FromStorage(storage),
        // Both hosts talk to the engine over gRPC; the library names the type rather than take a gRPC dependency.
        _ when exception.GetType().FullName == "Grpc.Core.RpcException" => Unavailable("the Durable Task engine"),
        HttpRequestException => Unavailable("a downstream service"),
        TimeoutException => Unavailable("a dependency (timed out)"),
        OperationCanceledException when !requestAborted.IsCancellationRequested => Unavailable("a dependency (timed out)"),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Classify(aggregate.InnerExceptions[0], requestAborted),
        _ => null,
    };

    public static IResult ToResult(DependencyFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new FailureResult(failure);
    }

    private static DependencyFailure FromStorage(RequestFailedException ex)
    {
        const string storage = "Table Storage";
        var code = ex.ErrorCode is { Length: > 0 } c ? $" ({c})" : "";
        return ex.Status switch
        {
            // 0: no answer at all (refused, reset, DNS): the network, not the request.
            0 or StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests or >= 500 => Unavailable(storage),
            StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge => new(storage, StatusCodes.Status400BadRequest,
                $"Table Storage refused a value of this request{code}: correct the request; sending it again unchanged will not help."),
            StatusCodes.Status409Conflict => new(storage, StatusCodes.Status409Conflict,
                $"The request conflicts with what Table Storage holds{code}: read the current state and decide again."),
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => new(storage, StatusCodes.Status500InternalServerError,
                $"Table Storage refused the app's credentials{code}: the app is misconfigured (its identity lacks a data role, or the key is wrong); nothing was applied."),
            _ => new(storage, StatusCodes.Status500InternalServerError,
                $"Table Storage answered {ex.Status.ToString(CultureInfo.InvariantCulture)}{code}: the app is misconfigured or out of date; nothing was applied."),
        };
    }

    private static DependencyFailure Unavailable(string dependency) => new(
        dependency,
        StatusCodes.Status503ServiceUnavailable,
        $"{char.ToUpperInvariant(dependency[0])}{dependency[1..]} is unavailable: nothing was lost, retry in {RetryAfterSeconds} seconds.");

    private sealed class FailureResult(DependencyFailure failure) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => failure.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            if (failure.Retryable)
            {
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            return Results.Problem(
                title: failure.Title,
                detail: failure.Retryable
                    ? "The request was not applied, or was applied in part in a way the same request completes when retried."
                    : null,
                statusCode: failure.StatusCode).ExecuteAsync(httpContext);
        }
    }
}
