using RollbackFunctions.Simulators;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Intake;

/// <summary>
/// A Table Storage stand-in on 127.0.0.1 that refuses every request with one status and the service's JSON error body
/// (<c>odata.error</c> with a code), the way the real service answers a refused key, a missing role or a conflict.
/// </summary>
internal sealed class RefusingTableStorage : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A connection string whose table endpoint is this stand-in (blob and queue are closed ports).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A stand-in that takes every request and never answers, as a storage account that stopped responding.</summary>
    public static Task<RefusingTableStorage> StartHangingAsync() => StartAsync(0, "");

    public static async Task<RefusingTableStorage> StartAsync(int status, string errorCode)
    {
        var storage = new RefusingTableStorage();
        var builder = LoopbackWebApplication.CreateBuilder();
        var app = builder.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref storage._requests);
            if (status == 0)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
            context.Response.Headers["x-ms-error-code"] = errorCode;
            await context.Response.WriteAsync($"{{\"odata.error\":{{\"code\":\"{errorCode}\",\"message\":{{\"lang\":\"en-US\",\"value\":\"refused by the stand-in\"}}}}}}");
        });
        await app.StartAsync();
        storage._app = app;
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        var closed = Azurite.FreePort();
        storage.ConnectionString = Azurite.BuildConnectionString(closed, closed, port);
        return storage;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
