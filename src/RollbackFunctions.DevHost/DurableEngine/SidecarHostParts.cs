namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>
/// The sidecar's inner host is started and stopped by <see cref="DurableTaskSidecar"/> only: without this it would also
/// listen to Ctrl-C/SIGTERM itself and race the outer host's orderly stop.
/// </summary>
internal sealed class SidecarLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The app's logging for the inner host, minus its "Now listening"/"Application started" lines, which would read as the app's own.</summary>
internal sealed class SidecarLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string LifetimeCategory = "Microsoft.Hosting.Lifetime";

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(LifetimeCategory, StringComparison.Ordinal)
            ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
            : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The app's factory is owned by the app's container.
    public void Dispose()
    {
    }
}
