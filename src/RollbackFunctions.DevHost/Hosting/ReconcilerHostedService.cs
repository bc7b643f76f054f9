using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>The dev host's timer for the reconciler: a pass every <see cref="ReconcilerOptions.Interval"/>, as the Functions app's timer function.</summary>
internal sealed partial class ReconcilerHostedService(
    RollbackReconciler reconciler,
    DurableTaskClient client,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcilerHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await reconciler.ReconcileAsync(client, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage or the engine is down: the next tick tries again; the host keeps serving.
                LogPassFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Reconciler pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
