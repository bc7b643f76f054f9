using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// Tunes the standard resilience handler for CI/CD calls: 408, 429, 5xx, timeouts and network errors are retried with
/// exponential backoff, or after the server's <c>Retry-After</c>; 400/401/403/404 are answered at once. Nothing is
/// retried, and no attempt outlives, the rollback's deadline carried by <see cref="ProviderCallPolicy"/>.
/// </summary>
internal static class ProviderResilience
{
    /// <summary>The largest retry count a policy may ask for; the policy and the deadline usually stop sooner.</summary>
    public const int MaxRetryAttempts = 20;

    private static readonly ResiliencePropertyKey<TimeSpan> PlannedDelay = new("RollbackFunctions.PlannedRetryDelay");
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StaticAttemptTimeout = TimeSpan.FromMinutes(1);

    public static void Configure(HttpStandardResilienceOptions options, TimeProvider time)
    {
        // Static bounds for the option validator; the generators below give each call its real limits.
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(10);
        options.TotalRequestTimeout.TimeoutGenerator = args => ValueTask.FromResult(TotalTimeout(args.Context, time));
        options.AttemptTimeout.Timeout = StaticAttemptTimeout;
        options.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(AttemptTimeout(args.Context, time));
        options.CircuitBreaker.SamplingDuration = StaticAttemptTimeout * 2;

        options.Retry.MaxRetryAttempts = MaxRetryAttempts;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context, time));
        options.Retry.DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
            args.Context.Properties.TryGetValue(PlannedDelay, out var delay) ? delay : null);
    }

    /// <summary>The server's requested wait (<c>Retry-After</c> as seconds or a date), if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Statuses worth another attempt: the server may answer differently later.</summary>
    public static bool IsTransientStatus(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500
        || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
        // GitHub's secondary rate limit: 403 with Retry-After. A plain 403 is a permission problem and final.
        || (response.StatusCode == HttpStatusCode.Forbidden && response.Headers.RetryAfter is not null);

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attemptNumber, ResilienceContext context, TimeProvider time)
    {
        if (context.GetRequestMessage()?.Options.TryGetValue(ProviderCallPolicy.Key, out var policy) != true || policy is null)
        {
            return false;
        }

        if (!policy.RetryByHandler || attemptNumber >= policy.MaxRetries || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        TimeSpan? serverDelay = null;
        if (outcome.Result is { } response)
        {
            if (!IsTransientStatus(response))
            {
                return false;
            }

            serverDelay = RetryAfter(response, time);
        }
        else if (outcome.Exception is not (HttpRequestException or TimeoutRejectedException))
        {
            return false;
        }

        var delay = serverDelay ?? Backoff(policy.RetryBaseDelay, attemptNumber);
        var remaining = policy.Deadline - time.GetUtcNow();

        // A retry that would start after the deadline cannot help the rollback: answer now with what we have.
        if (delay + MinimumTimeout >= remaining)
        {
            return false;
        }

        context.Properties.Set(PlannedDelay, delay);
        return true;
    }

    public static TimeSpan Backoff(TimeSpan baseDelay, int attemptNumber)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 10));
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Min(exponential * jitter, TimeSpan.FromSeconds(30).TotalMilliseconds));
    }

    private static TimeSpan TotalTimeout(ResilienceContext context, TimeProvider time) =>
        context.GetRequestMessage()?.Options.TryGetValue(ProviderCallPolicy.Key, out var policy) == true && policy is not null
            ? Max(policy.Deadline - time.GetUtcNow(), MinimumTimeout)
            : StaticAttemptTimeout;

    private static TimeSpan AttemptTimeout(ResilienceContext context, TimeProvider time)
    {
        if (context.GetRequestMessage()?.Options.TryGetValue(ProviderCallPolicy.Key, out var policy) != true || policy is null)
        {
            return StaticAttemptTimeout;
        }

        var remaining = policy.Deadline - time.GetUtcNow();
        return Max(remaining < policy.AttemptTimeout ? remaining : policy.AttemptTimeout, MinimumTimeout);
    }

    private static TimeSpan Max(TimeSpan value, TimeSpan floor) => value > floor ? value : floor;
}
