using Microsoft.DurableTask;
using RollbackFunctions.Observability;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Drills;

/// <summary>Tells the drill's end: its R to the metrics, and the end to <see cref="IReadinessNotifications"/>.</summary>
public sealed class AnnounceDrillEndActivity(IReadinessNotifications notifications, RollbackMetrics metrics) : TaskActivity<DrillEnded, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DrillEnded input)
    {
        ArgumentNullException.ThrowIfNull(input);
        metrics.DrillEnded(input.Component, input.Outcome, input.RecoverySeconds);
        await notifications.DrillEndedAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
