using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RollbackFunctions.Simulators;

/// <summary>A Kestrel server on 127.0.0.1 (port 0: the OS picks a free one), mapped by the subclass.</summary>
public abstract class SimulatedServer : IAsyncDisposable
{
    private WebApplication? _app;
    private long _servedTicks;

    /// <summary>The server's root, ending in '/'.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The time spent serving requests so far (from request start to the end of the response), summed.</summary>
    public TimeSpan ServedTime => TimeSpan.FromTicks(Interlocked.Read(ref _servedTicks));

    protected async Task StartServerAsync(int port, CancellationToken cancellationToken)
    {
        var app = LoopbackWebApplication.CreateBuilder(port).Build();
        app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await next(context).ConfigureAwait(false);
            Interlocked.Add(ref _servedTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        });
        Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        _app = app;
    }

    protected abstract void Map(WebApplication app);

    public Uri Url(string relative) => new(BaseUrl, relative.TrimStart('/'));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
