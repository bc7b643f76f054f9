namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// Durable timers that never end a wait before its time. On the Azure Storage engine a timer can fire up to about a
/// second early (the timer message becomes visible before its due time), and the orchestration then runs at an earlier
/// <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>: an outcome decided there would say the budget ran out (or
/// the confirmation window closed) before it did. A timer that fired early is armed again for the rest.
/// </summary>
public static class DurableTimers
{
    /// <summary>When to fire again: <paramref name="dueAt"/> while <paramref name="now"/> is still before it; null once due.</summary>
    public static DateTime? RearmAt(DateTime now, DateTime dueAt) => now < dueAt ? dueAt : null;

    /// <summary>Completes once the orchestration's time has reached <paramref name="dueAt"/>; cancelled with <paramref name="cancellation"/>.</summary>
    public static async Task UntilAsync(TaskOrchestrationContext context, DateTime dueAt, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var next = RearmAt(context.CurrentUtcDateTime, dueAt); next is { } fireAt; next = RearmAt(context.CurrentUtcDateTime, dueAt))
        {
            await context.CreateTimer(fireAt, cancellation).ConfigureAwait(true);
        }
    }
}
