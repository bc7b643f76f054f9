namespace RollbackFunctions.Workflow.Stages;

/// <summary>How a stage schedules work: nothing new once it was stopped (the budget ran out), so the losing side of
/// the budget race ends at its next call or wait and its results are never used.</summary>
internal static class StageCalls
{
    /// <summary>Storage and transient failures of an activity are retried; refusals come back as results, not exceptions.</summary>
    public static readonly TaskOptions TransientRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromMilliseconds(250), backoffCoefficient: 2.0));

    public static Task<TResult> CallAsync<TResult>(this TaskOrchestrationContext context, string activity, object input, CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        return context.CallActivityAsync<TResult>(activity, input, TransientRetry);
    }

    /// <summary>A pause between attempts, never past <paramref name="limit"/>; cancelled when the stage is stopped.</summary>
    public static Task PauseAsync(this TaskOrchestrationContext context, TimeSpan pause, DateTime limit, CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        var until = context.CurrentUtcDateTime + pause;
        return context.CreateTimer(until < limit ? until : limit, stop);
    }
}
