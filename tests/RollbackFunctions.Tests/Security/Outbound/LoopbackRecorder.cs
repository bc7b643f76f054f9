using RollbackFunctions.Simulators;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RollbackFunctions.Tests.Security.Outbound;

/// <summary>A Kestrel server on 127.0.0.1 that records every request (path and Authorization header) and answers with <see cref="Answer"/>.</summary>
internal sealed class LoopbackRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, string? Authorization)> _requests = new();
    private WebApplication _app = null!;

    private LoopbackRecorder()
    {
    }

    public Uri BaseUrl { get; private set; } = null!;

    public Func<HttpContext, IResult> Answer { get; set; } = _ => Results.Ok(new { deploymentId = "d-1" });

    public IReadOnlyList<(string Path, string? Authorization)> Requests => [.. _requests];

    public static async Task<LoopbackRecorder> StartAsync()
    {
        var recorder = new LoopbackRecorder();
        var builder = LoopbackWebApplication.CreateBuilder();
        var app = builder.Build();
        app.Run(async context =>
        {
            recorder._requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault()));
            await recorder.Answer(context).ExecuteAsync(context);
        });
        await app.StartAsync();
        recorder.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        recorder._app = app;
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
