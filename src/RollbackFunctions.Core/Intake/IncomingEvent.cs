namespace RollbackFunctions.Intake;

/// <summary>One validated event of a batch, ready to apply. Nothing of a batch is applied until every event is one of these.</summary>
public abstract record IncomingEvent(int Index, string Id, string Type);

public sealed record ReleaseEvent(int Index, string Id, string Type, ReleaseSubmission Release) : IncomingEvent(Index, Id, Type);

/// <param name="Time">The envelope's <c>eventTime</c> (Event Grid) or <c>time</c> (CloudEvents): when the evidence was observed.</param>
public sealed record TriggerEvent(
    int Index, string Id, string Type, string Component, TriggerReason Reason, string? TargetVersion, string? Details, string RequestedBy, DateTimeOffset? Time = null)
    : IncomingEvent(Index, Id, Type);

/// <summary>A Health Resources availability change. <paramref name="Component"/> is null for a resource mapped to none.</summary>
/// <param name="Time">The envelope's event time: when the evidence was observed.</param>
public sealed record HealthAvailabilityEvent(
    int Index, string Id, string Type, string ResourceId, string? Component, string AvailabilityState, string? PreviousState, DateTimeOffset? OccurredAt,
    DateTimeOffset? Time = null)
    : IncomingEvent(Index, Id, Type)
{
    /// <summary>API.md: Unavailable or Degraded for a mapped resource triggers HealthDegraded; any other state is recorded only.</summary>
    public bool IndicatesDegradation =>
        AvailabilityState.Equals("Unavailable", StringComparison.OrdinalIgnoreCase) || AvailabilityState.Equals("Degraded", StringComparison.OrdinalIgnoreCase);

    public string Describe() =>
        $"Resource Health: {ResourceId} became {AvailabilityState}" + (PreviousState is null ? "" : $" (was {PreviousState})") + (OccurredAt is { } at ? $" at {at:O}" : "") + ".";
}

/// <summary>What happened to one event of a batch.</summary>
/// <param name="Reason">Why a trigger event started nothing (Stale, Cooldown); null otherwise.</param>
public sealed record AppliedEvent(string Id, string Type, string Outcome, string? Component, string? RollbackId, string? StatusUri, string? Reason = null);

public sealed record EventBatchApplied(IReadOnlyList<AppliedEvent> Applied);

public sealed record SubscriptionValidationAnswer(string ValidationResponse);
