namespace RollbackFunctions.Readiness;

/// <summary>
/// The scheduled readiness check: reads every component's readiness, compares it with the last one remembered
/// (<see cref="ReadinessMemory"/>) and raises one <see cref="ReadinessChange"/> per change, through
/// <see cref="IReadinessNotifications"/>: when a component stops being ready (with the reason) and when it is ready
/// again. A component first seen not ready counts as a change; first seen ready does not. Remembered with a
/// conditional write, so two instances checking at once raise a change once.
/// </summary>
public sealed class ReadinessCheck(ReadinessReader reader, ReadinessMemory memory, IReadinessNotifications notifications, TimeProvider time)
{
    /// <returns>The changes raised.</returns>
    public async Task<IReadOnlyList<ReadinessChange>> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var report = await reader.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var remembered = await memory.ListAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<ReadinessChange>();
        foreach (var component in report.Components)
        {
            var last = remembered.GetValueOrDefault(component.Component);
            if (last is not null && last.Ready == component.Ready)
            {
                continue;
            }

            var now = time.GetUtcNow();
            if (!await memory.TryRememberAsync(component.Component, component.Ready, component.Reason, now, last?.ETag, cancellationToken).ConfigureAwait(false))
            {
                // Another instance remembered it first and raised the change.
                continue;
            }

            if (last is null && component.Ready)
            {
                continue;
            }

            var change = new ReadinessChange(
                $"{component.Component}:{(component.Ready ? "ready" : "lost")}:{now.UtcTicks}", component.Component, component.Ready, component.Reason, now, last?.Ready);
            await notifications.ReadinessChangedAsync(client, change, cancellationToken).ConfigureAwait(false);
            changes.Add(change);
        }

        return changes;
    }
}
