using RollbackFunctions.Drills;

namespace RollbackFunctions.Readiness;

/// <summary>
/// Where readiness changes and drill ends leave the library: the one seam the notifications send
/// <c>ReadinessLost</c> and <c>DrillEnded</c> through (API.md "Notifications"). Called at least once per event
/// (the scheduled check and the drill's end activity may be retried); <see cref="ReadinessChange.Key"/> and the drill
/// id are stable, for idempotency keys.
/// </summary>
public interface IReadinessNotifications
{
    /// <summary>A component stopped being ready (with the reason) or became ready again; once per change.</summary>
    Task ReadinessChangedAsync(DurableTaskClient client, ReadinessChange change, CancellationToken cancellationToken);

    /// <summary>A drill ended, whatever its outcome; one that did not succeed means the component is not ready.</summary>
    Task DrillEndedAsync(DurableTaskClient client, DrillEnded drill, CancellationToken cancellationToken);
}

/// <param name="Key">Stable for this change (component and when the new readiness was first seen).</param>
/// <param name="Reason">Why it is not ready (the failing precondition); null when it is ready again.</param>
public sealed record ReadinessChange(string Key, string Component, bool Ready, string? Reason, DateTimeOffset ChangedAt, bool? WasReady);
