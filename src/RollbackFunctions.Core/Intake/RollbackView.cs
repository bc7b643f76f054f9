namespace RollbackFunctions.Intake;

/// <summary>
/// A rollback as operators read it (API.md "Reading"): why (the trigger), to which version, when, and how it ended.
/// </summary>
/// <param name="Outcome">The end phase once terminal, else null.</param>
/// <param name="ElapsedSeconds">From the trigger's receipt (where the budget starts) to the end, or to now while it runs.</param>
/// <param name="Timeline">Every step with its timestamp; null in lists.</param>
/// <param name="Source"><c>audit</c>, or <c>orchestration</c> while the audit has not caught up with a just-started rollback.</param>
/// <param name="LateEscalation">The escalation a trigger in a succeeded rollback's cooldown raised; also shown as <paramref name="Escalation"/> when the rollback itself did not escalate.</param>
public sealed record RollbackView(
    string RollbackId,
    string Component,
    RollbackTrigger Trigger,
    string? RequestedTargetVersion,
    string? FromVersion,
    string? TargetVersion,
    string? TargetArtifact,
    RollbackPhase Phase,
    RollbackPhase? Outcome,
    string? OutcomeReason,
    DateTimeOffset StartedAt,
    DateTimeOffset Deadline,
    double BudgetSeconds,
    double ElapsedSeconds,
    double? RecoverySeconds,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? ConfirmedAt,
    string? ConfirmedBy,
    string? ConfirmationNote,
    DateTimeOffset? EndedAt,
    string? Provider,
    string? DeploymentId,
    EscalationRecord? Escalation,
    IReadOnlyList<StepView>? Timeline,
    IReadOnlyList<RollbackTrigger>? JoinedTriggers,
    string StatusUri,
    string Source,
    IReadOnlyList<LateTriggerView>? LateTriggers = null,
    AbortView? Abort = null,
    IReadOnlyList<UndeliveredNotificationView>? UndeliveredNotifications = null,
    string? ConfirmedByObjectId = null,
    LateEscalation? LateEscalation = null)
{
    public static RollbackView FromAudit(RollbackRecord r, IReadOnlyList<RollbackStep>? steps, IReadOnlyList<JoinedTrigger>? joined, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(r);
        var end = r.EndedAt ?? now;
        return new RollbackView(
            r.RollbackId, r.Component, r.Trigger, r.RequestedTargetVersion, r.FromVersion, r.TargetVersion, r.TargetArtifact,
            r.Phase, r.Phase.IsTerminal() ? r.Phase : null, r.OutcomeReason, r.StartedAt, r.Deadline, r.BudgetSeconds,
            Math.Max(0, Math.Round((end - r.Trigger.ReceivedAt).TotalSeconds, 3)),
            r.RecoverySeconds, r.VerifiedAt, r.ConfirmedAt, r.ConfirmedBy, r.ConfirmationNote, r.EndedAt, r.Provider, r.DeploymentId, r.Escalation,
            steps?.Select(StepView.From).ToList(),
            joined?.Select(j => j.Trigger).ToList(),
            RollbackStartResults.StatusUri(r.RollbackId),
            "audit",
            Abort: r.AbortedAt is { } abortedAt ? new AbortView(abortedAt, r.AbortedBy, r.AbortReason) : null,
            ConfirmedByObjectId: r.ConfirmedByObjectId);
    }

    /// <summary>What the orchestration's input says before the audit's first row exists.</summary>
    public static RollbackView FromRequest(RollbackRequest request, RollbackPhase phase, TimeSpan budget, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var receivedAt = request.Trigger.ReceivedAt;
        return new RollbackView(
            request.RollbackId, request.Component, request.Trigger, request.TargetVersion, null, null, null,
            phase, phase.IsTerminal() ? phase : null, null, receivedAt, receivedAt + budget, budget.TotalSeconds,
            Math.Max(0, Math.Round((now - receivedAt).TotalSeconds, 3)),
            null, null, null, null, null, null, null, null, null,
            [], [], RollbackStartResults.StatusUri(request.RollbackId), "orchestration");
    }
}

/// <summary>A lifecycle notification that a channel still refused after every retry (API.md "Notifications").</summary>
public sealed record UndeliveredNotificationView(string IdempotencyKey, string Event, string Channel, int Attempts, string? Error, DateTimeOffset At)
{
    public static UndeliveredNotificationView From(Notifications.NotificationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(failure.IdempotencyKey, failure.Event.ToString(), failure.Channel, failure.Attempts, failure.Error, failure.At);
    }
}

/// <summary>Who stopped the rollback, when and why (<see cref="RollbackPhase.Aborted"/>).</summary>
public sealed record AbortView(DateTimeOffset At, string? By, string? Reason);

/// <summary>A trigger that arrived in the cooldown after this rollback succeeded: it started nothing (API.md "Trust rules").</summary>
public sealed record LateTriggerView(RollbackTrigger Trigger, string Reason)
{
    public static LateTriggerView From(LateTrigger late)
    {
        ArgumentNullException.ThrowIfNull(late);
        return new(late.Trigger, late.Reason);
    }
}

public sealed record StepView(int Sequence, string Name, RollbackPhase Phase, StepStatus Status, DateTimeOffset At, string? Detail)
{
    public static StepView From(RollbackStep s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Sequence, s.Name, s.Phase, s.Status, s.At, s.Detail);
    }
}

public sealed record RollbackList(string? Component, int Limit, IReadOnlyList<RollbackView> Rollbacks);
