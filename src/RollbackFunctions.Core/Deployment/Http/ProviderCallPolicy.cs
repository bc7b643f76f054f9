namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// The limits of one provider call, carried on the request so the resilience pipeline (shared by every provider
/// entry of a type) applies each entry's settings and the rollback's own deadline.
/// </summary>
/// <param name="RetryByHandler">False for calls that are unsafe to repeat blindly (starting a run: the provider
/// first looks for the run it may already have started, then decides) and for single-attempt reads
/// (<see cref="DeploymentQuery.SingleAttempt"/>).</param>
internal sealed record ProviderCallPolicy(
    DateTimeOffset Deadline,
    TimeSpan AttemptTimeout,
    TimeSpan RetryBaseDelay,
    int MaxRetries,
    bool RetryByHandler = true)
{
    public static readonly HttpRequestOptionsKey<ProviderCallPolicy> Key = new("RollbackFunctions.ProviderCallPolicy");

    public static ProviderCallPolicy From(CiCdHttpOptions options, DateTimeOffset deadline) =>
        new(deadline, options.RequestTimeout, options.RetryBaseDelay, options.MaxRetries);

    /// <summary>For a progress read: the query's deadline, and no handler retries for a single-attempt read.</summary>
    public static ProviderCallPolicy ForRead(CiCdHttpOptions options, DeploymentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var policy = From(options, query.Deadline);
        return query.SingleAttempt ? policy.WithoutHandlerRetries() : policy;
    }

    public ProviderCallPolicy WithoutHandlerRetries() => this with { RetryByHandler = false };
}
