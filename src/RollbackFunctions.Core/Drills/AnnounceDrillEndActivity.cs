using RollbackFunctions.Observability;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Drills;

/// <summary>Tells the drill's end: its R to the metrics, and the end to <see cref="IReadinessNotifications"/>.</summary>
/// <param name="client">The dev host's client from DI; the Functions app passes its <c>[DurableClient]</c> binding.</param>
public sealed class AnnounceDrillEndActivity(IReadinessNotifications notifications, RollbackMetrics metrics, DurableTaskClient client) : TaskActivity<DrillEnded, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DrillEnded input)
    {
        ArgumentNullException.ThrowIfNull(input);
        metrics.DrillEnded(input.Component, input.Outcome, input.RecoverySeconds);
        await notifications.DrillEndedAsync(client, input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
