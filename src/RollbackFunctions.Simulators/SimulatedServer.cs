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

    /// <summary>The server's root, ending in '/'.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    protected async Task StartServerAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
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
