using Microsoft.DurableTask.Client;
using RollbackFunctions.Scheduling;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>The dev host's timer for the drill and readiness schedules, as the Functions app's timer function.</summary>
internal sealed partial class ScheduleHostedService(
    ScheduledWork work,
    DurableTaskClient client,
    TimeProvider time,
    ILogger<ScheduleHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ScheduledWork.TickInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await work.RunDueAsync(client, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage or the engine is down: the next tick tries again (a missed occurrence is run within the lookback).
                LogPassFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 8202, Level = LogLevel.Error, Message = "Scheduled drills or readiness check failed; the next tick retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
