namespace RollbackFunctions.Notifications;

/// <summary>
/// One lifecycle event to tell the channels about, in a shape every formatter renders. Its idempotency key is
/// <c>{Subject}:{Event}</c>: the rollback id for a rollback's events, and what other features choose (a drill id,
/// <c>readiness:{component}:{n}</c>, ...). One key is delivered at least once and scheduled at most once.
/// </summary>
/// <param name="Subject">What the event is about; the key's first part.</param>
/// <param name="AuditId">The audit partition a delivery that still fails is recorded in: the rollback's (or drill's)
/// id; null records it under <paramref name="Subject"/>.</param>
/// <param name="Links">Paths on this app (<c>/api/...</c>), made absolute with <c>Rollback:PublicBaseUrl</c> at delivery.</param>
public sealed record LifecycleNotification(
    LifecycleEvent Event,
    string Subject,
    string? Component,
    string Title,
    string Text,
    DateTimeOffset OccurredAt,
    IReadOnlyList<NotificationFact> Facts,
    IReadOnlyList<NotificationLink> Links,
    string? RollbackId = null,
    string? AuditId = null)
{
    public string IdempotencyKey => $"{Subject}:{Event}";
}

/// <summary>A name and value shown with the event (version, outcome, R, ...).</summary>
public sealed record NotificationFact(string Name, string Value);

/// <summary>A link shown with the event; <paramref name="Method"/> says how to use it (the confirm link is a POST).</summary>
public sealed record NotificationLink(string Name, string Href, string Method = "GET");
