using Microsoft.DurableTask.Client;
using RollbackFunctions.Scheduling;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>The dev host's timer for the drill and readiness schedules, as the Functions app's timer function.</summary>
internal sealed partial class ScheduleHostedService(
    ScheduledWork work,
    DurableTaskClient client,
    TimeProvider time,
    ILogger<ScheduleHostedService> logger) : PeriodicHostedService(ScheduledWork.TickInterval, time)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => work.RunDueAsync(client, cancellationToken);

    // A missed occurrence is still run by a later tick within the lookback.
    protected override void OnPassFailed(Exception exception) => LogPassFailed(logger, exception);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Error, Message = "Scheduled drills or readiness check failed; the next tick retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
