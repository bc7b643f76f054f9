namespace RollbackFunctions.Domain;

/// <summary>Why a rollback was asked for, by whom, and when the request was received.</summary>
/// <param name="TriggerId">The trigger's own identity (alert id, event id, correlation id): at most one rollback per id.</param>
/// <param name="ReceivedAt">Fixed at intake; the time budget runs from here, so it is part of the orchestration input.</param>
/// <param name="ObservedAt">When the trigger's evidence was observed (an alert's <c>firedDateTime</c>, an event's time);
/// null for a pipeline's request, which carries none. Judged against when the current version became current.</param>
public sealed record RollbackTrigger(
    TriggerReason Reason,
    TriggerSource Source,
    string TriggerId,
    DateTimeOffset ReceivedAt,
    string RequestedBy,
    string? Details,
    DateTimeOffset? ObservedAt = null);
