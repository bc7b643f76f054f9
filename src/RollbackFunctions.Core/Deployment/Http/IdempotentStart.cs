using Microsoft.Extensions.Logging;

namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// Starting a run is the one call that must never be repeated blindly: a server may accept it and still fail to
/// answer (5xx after the fact, a dropped connection, a timeout). So each attempt first looks for a run this rollback
/// already started, and only then starts one; the look-up makes a crash-replayed start, or a retry after a lost
/// answer, return the existing run instead of deploying twice.
/// </summary>
internal static class IdempotentStart
{
    public static async Task<DeploymentStarted> RunAsync(
        ProviderCallPolicy policy,
        TimeProvider time,
        ILogger logger,
        string system,
        string providerName,
        string rollbackId,
        Func<CancellationToken, Task<string?>> findExistingRun,
        Func<CancellationToken, Task<string>> startRun,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await findExistingRun(cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                ProviderLog.FoundExistingRun(logger, system, providerName, rollbackId, existing);
                return new DeploymentStarted(existing, AlreadyStarted: true);
            }

            try
            {
                return new DeploymentStarted(await startRun(cancellationToken).ConfigureAwait(false), AlreadyStarted: false);
            }
            catch (DeploymentProviderException ex) when (ex.IsTransient && attempt < policy.MaxRetries)
            {
                var delay = ex.RetryAfter ?? ProviderResilience.Backoff(policy.RetryBaseDelay, attempt);
                if (time.GetUtcNow() + delay >= policy.Deadline)
                {
                    throw;
                }

                ProviderLog.StartRetry(logger, system, providerName, rollbackId, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
