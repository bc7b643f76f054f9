using RollbackFunctions.Scheduling;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>
/// Ticks every 30 seconds and runs what <c>Rollback:Drills:Schedule</c> and <c>Rollback:Readiness:Schedule</c> made
/// due. A timer attribute's schedule cannot be empty (off), so the cron expressions are the library's to evaluate, the
/// same in the dev host; each occurrence runs once across instances.
/// </summary>
public sealed class ScheduleFunction(ScheduledWork work)
{
    [Function("RunSchedules")]
    public Task RunAsync([TimerTrigger("15,45 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        work.RunDueAsync(client, cancellationToken);
}
