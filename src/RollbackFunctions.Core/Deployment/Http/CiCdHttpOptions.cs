namespace RollbackFunctions.Deployment.Http;

/// <summary>How a CI/CD provider's HTTP calls are bounded; every limit also yields to the rollback's deadline.</summary>
public abstract class CiCdHttpOptions
{
    /// <summary>One attempt's limit; a slower answer counts as a transient failure and is retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay, doubled each attempt (with jitter) unless the server sends <c>Retry-After</c>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after the first attempt; fewer when the rollback's deadline comes first.</summary>
    public int MaxRetries { get; set; } = 4;
}
