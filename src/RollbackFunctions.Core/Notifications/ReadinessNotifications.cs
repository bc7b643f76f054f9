using RollbackFunctions.Drills;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Notifications;

/// <summary>
/// Readiness changes and drill ends to the notification channels (API.md "Notifications"): a component that stops
/// being ready sends <c>ReadinessLost</c> with the reason, and the same subscription hears once when it is ready
/// again (the contract has one readiness event); every drill sends <c>DrillEnded</c>, and one that did not succeed also
/// <c>ReadinessLost</c>. Keys are the change's stable key or the drill id, so a retried check or activity sends nothing twice.
/// The log of <see cref="LoggedReadinessNotifications"/> is kept.
/// </summary>
public sealed class ReadinessNotifications(NotificationScheduler scheduler, LoggedReadinessNotifications log) : IReadinessNotifications
{
    public async Task ReadinessChangedAsync(DurableTaskClient client, ReadinessChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await log.ReadinessChangedAsync(client, change, cancellationToken).ConfigureAwait(false);
        var (title, text) = change.Ready
            ? ($"{change.Component} is ready for rollback again", $"A rollback of {change.Component} triggered now would be accepted.")
            : ($"{change.Component} is no longer ready for rollback", $"A rollback of {change.Component} triggered now would be refused: {change.Reason}");
        await scheduler.ScheduleAsync(client, LifecycleNotifications.Create(
            LifecycleEvent.ReadinessLost, "readiness:" + change.Key, change.Component, title, text, change.ChangedAt,
            new Dictionary<string, string?> { ["Ready"] = change.Ready ? "yes" : "no", ["Reason"] = change.Reason },
            [new NotificationLink("Readiness", "/api/readiness")]), cancellationToken).ConfigureAwait(false);
    }

    public async Task DrillEndedAsync(DurableTaskClient client, DrillEnded drill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        await log.DrillEndedAsync(client, drill, cancellationToken).ConfigureAwait(false);
        var r = drill.RecoverySeconds is { } seconds ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : null;
        var facts = new Dictionary<string, string?>
        {
            ["Outcome"] = drill.Outcome.ToString(),
            ["From"] = drill.FromVersion,
            ["To"] = drill.TargetVersion,
            ["R"] = r,
            ["Budget"] = drill.BudgetSeconds.ToString("0", CultureInfo.InvariantCulture) + " s",
        };
        var status = new NotificationLink("Drill", drill.StatusUri);
        await scheduler.ScheduleAsync(client, LifecycleNotifications.Create(
            LifecycleEvent.DrillEnded, drill.DrillId, drill.Component, $"Rollback drill of {drill.Component} ended {drill.Outcome}", drill.Reason,
            drill.EndedAt, facts, [status], auditId: drill.DrillId), cancellationToken).ConfigureAwait(false);
        if (drill.Outcome != RollbackPhase.Succeeded)
        {
            await scheduler.ScheduleAsync(client, LifecycleNotifications.Create(
                LifecycleEvent.ReadinessLost, drill.DrillId, drill.Component, $"{drill.Component} failed its rollback drill",
                $"The drill ended {drill.Outcome}: {drill.Reason}. A real rollback may fail the same way.", drill.EndedAt, facts, [status],
                auditId: drill.DrillId), cancellationToken).ConfigureAwait(false);
        }
    }
}
