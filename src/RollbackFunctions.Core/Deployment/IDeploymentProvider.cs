namespace RollbackFunctions.Deployment;

/// <summary>
/// A CI/CD system that can deploy a whole component at a given immutable artifact (section 6: rollback runs via
/// CI/CD only). Implementations must be idempotent on <see cref="DeploymentRequest.IdempotencyKey"/>: starting again
/// after a crash returns the deployment already started and deploys nothing new.
/// </summary>
public interface IDeploymentProvider
{
    Task<DeploymentStarted> StartAsync(DeploymentRequest request, CancellationToken cancellationToken);

    Task<DeploymentProgress> GetProgressAsync(DeploymentQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the CI/CD system to stop a deployment in flight (after TimedOut or Aborted), best effort: a deployment that
    /// already ended is <see cref="DeploymentCancelOutcome.AlreadyEnded"/>, not an error. Transient failures throw
    /// <see cref="DeploymentProviderException"/> with <see cref="DeploymentProviderException.IsTransient"/> set.
    /// </summary>
    Task<DeploymentCancelResult> CancelAsync(DeploymentCancellation request, CancellationToken cancellationToken);
}

/// <param name="Deadline">How long the cancel may take (it runs after the rollback's end, so it has its own short deadline).</param>
public sealed record DeploymentCancellation(string ProviderName, string DeploymentId, string IdempotencyKey, string Component, string Reason, DateTimeOffset Deadline);

public enum DeploymentCancelOutcome
{
    /// <summary>The CI/CD system accepted the cancel request.</summary>
    Cancelled,

    /// <summary>The deployment had already ended (404 or 409 from the generic API, a completed run).</summary>
    AlreadyEnded,

    /// <summary>The provider has no way to cancel.</summary>
    NotSupported,
}

/// <param name="Detail">A sentence for the audit.</param>
public sealed record DeploymentCancelResult(DeploymentCancelOutcome Outcome, string Detail);

/// <param name="ProviderName">The configured provider entry the component deploys through.</param>
/// <param name="IdempotencyKey">The rollback id.</param>
/// <param name="Deadline">The rollback's budget deadline: no retry is attempted past it.</param>
public sealed record DeploymentRequest(
    string ProviderName,
    string IdempotencyKey,
    string Component,
    string Version,
    string Artifact,
    string Reason,
    DateTimeOffset Deadline,
    DeploymentMode Mode = DeploymentMode.Rollback);

public sealed record DeploymentStarted(string DeploymentId, bool AlreadyStarted);

/// <param name="SingleAttempt">One request, without the resilience handler's retries: for an opportunistic read whose
/// failure the caller drops (the workflow polls again with retries).</param>
public sealed record DeploymentQuery(string ProviderName, string DeploymentId, string IdempotencyKey, string Component, DateTimeOffset Deadline, bool SingleAttempt = false);

public enum DeploymentState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public sealed record DeploymentUnit(string Name, string Status);

/// <param name="Units">The parts of the component; any not Succeeded when the run ends makes the rollback fail (no partial rollback).</param>
public sealed record DeploymentProgress(string DeploymentId, DeploymentState State, IReadOnlyList<DeploymentUnit> Units, string? Message)
{
    public bool IsFinished => State is DeploymentState.Succeeded or DeploymentState.Failed or DeploymentState.Cancelled;
}

/// <summary>
/// A provider call that will not succeed by retrying (400, 401, 403, 404, malformed answer), or whose retries ran
/// out; <see cref="Exception.Message"/> is a reason fit for the audit and never contains a secret.
/// </summary>
public sealed class DeploymentProviderException : Exception
{
    public DeploymentProviderException()
    {
    }

    public DeploymentProviderException(string message)
        : base(message)
    {
    }

    public DeploymentProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the CI/CD system answered with, when it answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>
    /// True when the cause was transient (5xx, 429, timeout, connection refused) and only the rollback's budget or the
    /// retry limit stopped further attempts; false for answers that no retry can change (400, 401, 403, 404, bad JSON).
    /// </summary>
    public bool IsTransient { get; init; }

    /// <summary>The wait the server asked for (<c>Retry-After</c>), when it asked.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// True when the call failed only because the rollback's deadline passed (not attempted, or cut off by it): the
    /// budget timer decides the outcome (TimedOut), never this failure.
    /// </summary>
    public bool DeadlinePassed { get; init; }
}
