namespace RollbackFunctions.Notifications;

/// <summary>
/// The workflow's entry point: writes the audit it was handed (like every activity, before what it does), then
/// schedules each notification through <see cref="NotificationScheduler"/>. Scheduling never fails the activity (a
/// notification never holds up a rollback); a failed audit write does, and is retried.
/// </summary>
/// <param name="client">The dev host's client from DI; the Functions app passes its <c>[DurableClient]</c> binding.</param>
public sealed class ScheduleNotificationsActivity(NotificationScheduler scheduler, DurableTaskClient client, RollbackAuditStore audit)
    : TaskActivity<ScheduleNotificationsInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, ScheduleNotificationsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await audit.RecordAsync(input.Audit, CancellationToken.None).ConfigureAwait(false);
        var scheduled = 0;
        foreach (var notification in input.Notifications)
        {
            if (await scheduler.ScheduleAsync(client, notification, CancellationToken.None).ConfigureAwait(false) == NotificationScheduleOutcome.Scheduled)
            {
                scheduled++;
            }
        }

        return scheduled;
    }
}
