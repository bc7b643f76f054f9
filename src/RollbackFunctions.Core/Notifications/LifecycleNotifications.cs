using RollbackFunctions.Trust;

namespace RollbackFunctions.Notifications;

/// <summary>
/// The notifications of each lifecycle event, built from what the caller knows (deterministic: the workflow builds
/// some of them). Features that send their own events (readiness, drills) build theirs with <see cref="Create"/>.
/// </summary>
public static class LifecycleNotifications
{
    public static string StatusPath(string rollbackId) => $"/api/rollbacks/{Uri.EscapeDataString(rollbackId)}";

    public static string ConfirmPath(string rollbackId) => StatusPath(rollbackId) + "/confirm";

    /// <summary>Any event, for callers outside the rollback workflow (e.g. <see cref="LifecycleEvent.ReadinessLost"/> with subject
    /// <c>readiness:{component}:{n}</c>, <see cref="LifecycleEvent.DrillEnded"/> with the drill id as subject and audit id).</summary>
    public static LifecycleNotification Create(
        LifecycleEvent lifecycleEvent, string subject, string? component, string title, string text, DateTimeOffset occurredAt,
        IReadOnlyDictionary<string, string?>? facts = null, IReadOnlyList<NotificationLink>? links = null, string? auditId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        return new(lifecycleEvent, subject, component, title, text, occurredAt, Facts(facts), links ?? [], null, auditId);
    }

    public static LifecycleNotification Started(RollbackRequest request, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trigger = request.Trigger;
        return ForRollback(LifecycleEvent.Started, request.RollbackId, request.Component,
            $"Rollback of {request.Component} started",
            $"{trigger.Reason} from {trigger.Source} ({trigger.TriggerId}), requested by {trigger.RequestedBy}. Deadline {request.Deadline:O}.",
            at, new Dictionary<string, string?>
            {
                ["Reason"] = trigger.Reason.ToString(),
                ["Requested target"] = request.TargetVersion ?? "newest Verified release",
                ["Deadline"] = request.Deadline.ToString("O", CultureInfo.InvariantCulture),
            });
    }

    public static LifecycleNotification AwaitingConfirmation(RollbackRecord rollback, DateTimeOffset at, DateTimeOffset windowEndsAt)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        return ForRollback(LifecycleEvent.AwaitingConfirmation, rollback.RollbackId, rollback.Component,
            $"Confirm the rollback of {rollback.Component} before {windowEndsAt:HH:mm} UTC",
            $"{rollback.TargetVersion} is deployed and verified. Confirm restored availability before {windowEndsAt:O}, or the rollback ends Unconfirmed and freezes {rollback.Component}.",
            at, new Dictionary<string, string?>
            {
                ["From"] = rollback.FromVersion,
                ["To"] = rollback.TargetVersion,
                ["R"] = Seconds(rollback.RecoverySeconds),
                ["Window ends"] = windowEndsAt.ToString("O", CultureInfo.InvariantCulture),
            },
            new NotificationLink("Confirm", ConfirmPath(rollback.RollbackId), "POST"));
    }

    public static LifecycleNotification Ended(RollbackRecord rollback, RollbackPhase outcome, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        return ForRollback(LifecycleEvent.Ended, rollback.RollbackId, rollback.Component,
            $"Rollback of {rollback.Component} ended {outcome}",
            reason, at, new Dictionary<string, string?>
            {
                ["Outcome"] = outcome.ToString(),
                ["From"] = rollback.FromVersion,
                ["To"] = rollback.TargetVersion,
                ["R"] = Seconds(rollback.RecoverySeconds),
            });
    }

    public static LifecycleNotification Escalated(RollbackRecord rollback, RollbackPhase outcome, EscalationRecord escalation, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        ArgumentNullException.ThrowIfNull(escalation);
        return ForRollback(LifecycleEvent.Escalated, rollback.RollbackId, rollback.Component,
            $"Rollback of {rollback.Component} escalated ({outcome})",
            (escalation.Delivered ? "The incident was raised" : $"The incident could NOT be raised ({escalation.Error})")
                + $"; {rollback.Component} is frozen until an operator unfreezes it with an incident reference and analysis.",
            at, new Dictionary<string, string?>
            {
                ["Outcome"] = outcome.ToString(),
                ["Incident delivered"] = escalation.Delivered ? "yes" : "no",
                ["Attempts"] = escalation.Attempts.ToString(CultureInfo.InvariantCulture),
            });
    }

    /// <summary>
    /// A trigger admission refused. Stale: subject <c>{component}:{triggerId}</c> (a trigger's identity is per
    /// component; a redelivery notifies once). Cooldown: subject = the rollback just ended, as its one "still unhealthy"
    /// escalation (every later trigger of that cooldown is recorded on it, not notified again).
    /// </summary>
    public static LifecycleNotification Refused(TriggerRefusal refusal, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var cooldown = refusal.Outcome == AdmissionOutcome.Cooldown && refusal.RollbackId is not null;
        var facts = new Dictionary<string, string?>
        {
            ["Trigger"] = $"{refusal.Source}/{refusal.TriggerId}",
            ["Observed at"] = refusal.ObservedAt?.ToString("O", CultureInfo.InvariantCulture),
        };
        return cooldown
            ? ForRollback(LifecycleEvent.Cooldown, refusal.RollbackId!, refusal.Component,
                $"{refusal.Component} still unhealthy after rollback", refusal.Reason, at, facts)
            : new(LifecycleEvent.Stale, $"{refusal.Component}:{refusal.TriggerId}", refusal.Component,
                $"Stale trigger for {refusal.Component} ignored", refusal.Reason, at, Facts(facts), []);
    }

    private static LifecycleNotification ForRollback(
        LifecycleEvent lifecycleEvent, string rollbackId, string component, string title, string text, DateTimeOffset at,
        IReadOnlyDictionary<string, string?> facts, params NotificationLink[] links) =>
        new(lifecycleEvent, rollbackId, component, title, text, at,
            [new NotificationFact("Rollback", rollbackId), new NotificationFact("Component", component), .. Facts(facts)],
            [.. links, new NotificationLink("Status", StatusPath(rollbackId))],
            rollbackId,
            rollbackId);

    private static List<NotificationFact> Facts(IReadOnlyDictionary<string, string?>? facts) =>
        facts is null ? [] : [.. facts.Where(f => f.Value is not null).Select(f => new NotificationFact(f.Key, f.Value!))];

    private static string? Seconds(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.###} s") : null;
}
