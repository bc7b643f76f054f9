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
    ILogger<ReconcilerHostedService> logger) : PeriodicHostedService(options.Value.Interval, time)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => reconciler.ReconcileAsync(client, cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogPassFailed(logger, exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Reconciler pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
