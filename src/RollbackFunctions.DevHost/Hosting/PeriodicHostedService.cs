namespace RollbackFunctions.DevHost.Hosting;

/// <summary>
/// The dev host's stand-in for a Functions timer: one pass every interval. A failed pass (storage or the engine down)
/// is logged and the next tick tries again; the host keeps serving.
/// </summary>
internal abstract class PeriodicHostedService(TimeSpan interval, TimeProvider time) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected abstract void OnPassFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                OnPassFailed(ex);
            }
        }
    }
}
