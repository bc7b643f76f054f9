namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// Starting a run is the one call that must never be repeated blindly: a server may accept it and still fail to
/// answer (5xx after the fact, a dropped connection, a timeout). So each attempt first looks for a run this rollback
/// already started, and only then starts one; the look-up makes a crash-replayed start, or a retry after a lost
/// answer, return the existing run instead of deploying twice.
/// </summary>
internal static class IdempotentStart
{
    /// <summary>One step of a start, a look-up or the start itself, for one entry's settings under one call's policy.</summary>
    public delegate Task<TResult> Step<in TSettings, TResult>(
        TSettings settings, ProviderHttp api, ProviderCallPolicy policy, DeploymentRequest request, CancellationToken cancellationToken);

    public static async Task<DeploymentStarted> RunAsync<TSettings>(
        DeploymentRequest request,
        TSettings settings,
        ProviderHttp api,
        Step<TSettings, string?> findExistingRun,
        Step<TSettings, string> startRun,
        CancellationToken cancellationToken)
        where TSettings : CiCdHttpOptions
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = ProviderCallPolicy.From(settings, request.Deadline);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await findExistingRun(settings, api, policy, request, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                ProviderLog.FoundExistingRun(api.Logger, api.System, request.ProviderName, request.IdempotencyKey, existing);
                return new DeploymentStarted(existing, AlreadyStarted: true);
            }

            try
            {
                return new DeploymentStarted(await startRun(settings, api, policy, request, cancellationToken).ConfigureAwait(false), AlreadyStarted: false);
            }
            catch (DeploymentProviderException ex) when (ex.IsTransient && attempt < policy.MaxRetries)
            {
                var delay = ex.RetryAfter ?? ProviderResilience.Backoff(policy.RetryBaseDelay, attempt);
                if (api.Time.GetUtcNow() + delay >= policy.Deadline)
                {
                    throw;
                }

                ProviderLog.StartRetry(api.Logger, api.System, request.ProviderName, request.IdempotencyKey, delay.TotalMilliseconds);
                await Task.Delay(delay, api.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
