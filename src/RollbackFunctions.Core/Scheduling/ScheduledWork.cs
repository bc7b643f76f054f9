using RollbackFunctions.Drills;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Scheduling;

/// <summary>
/// What both hosts' timers call (the Functions app's timer function, the dev host's hosted service): runs the drill
/// schedule and the readiness schedule when an occurrence fell due, each occurrence once across instances.
/// </summary>
public sealed partial class ScheduledWork(
    IOptionsMonitor<ScheduleOptions> schedules,
    ScheduleClaims claims,
    DrillStarter drills,
    ReadinessCheck readiness,
    TimeProvider time,
    ILogger<ScheduledWork> logger)
{
    /// <summary>How often the hosts tick.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(30);

    /// <summary>An occurrence is still run by a tick this late (a host that was busy or restarting).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(2);

    public async Task RunDueAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await ClaimDueAsync(ScheduleOptions.DrillsSection, cancellationToken).ConfigureAwait(false))
        {
            var started = await drills.StartScheduledAsync(client, cancellationToken).ConfigureAwait(false);
            LogDrillsStarted(logger, started.Count);
        }

        if (await ClaimDueAsync(ScheduleOptions.ReadinessSection, cancellationToken).ConfigureAwait(false))
        {
            await readiness.RunAsync(client, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ClaimDueAsync(string section, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return CronSchedule.Parse(schedules.Get(section).Schedule)?.LatestDue(now, Lookback) is { } occurrence
            && await claims.TryClaimAsync(section.Replace(':', '-'), occurrence, now, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Scheduled drills started: {Count}")]
    private static partial void LogDrillsStarted(ILogger logger, int count);
}
