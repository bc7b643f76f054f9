namespace RollbackFunctions.Trust;

/// <summary>Why admission refused a trigger, and what answers it: alerts and events <c>200</c>, pipelines <c>409</c>.</summary>
/// <param name="RollbackId">For Cooldown: the rollback just ended, which the trigger was recorded on as late.</param>
/// <param name="Escalated">This trigger delivered the one "still unhealthy after rollback" escalation of that rollback.</param>
public sealed record TriggerRefusal(
    AdmissionOutcome Outcome,
    string Component,
    TriggerSource Source,
    string TriggerId,
    DateTimeOffset? ObservedAt,
    string Reason,
    string? RollbackId,
    bool Escalated = false)
{
    public static TriggerRefusal From(RefusedTrigger refused, bool escalated = false)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return new(refused.Outcome, refused.Component, refused.Source, refused.TriggerId, refused.ObservedAt, refused.Reason, refused.RollbackId, escalated);
    }
}
