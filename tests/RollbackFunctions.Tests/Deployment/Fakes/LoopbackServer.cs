using RollbackFunctions.Simulators;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RollbackFunctions.Tests.Deployment.Fakes;

/// <summary>What a fake API does to one request instead of (or after) answering it normally.</summary>
/// <param name="Status">The status to answer with; null keeps the normal answer.</param>
/// <param name="Body">The body to answer with (raw); null gives the API's usual error body for <paramref name="Status"/>.</param>
/// <param name="RetryAfter">A <c>Retry-After</c> header, in seconds.</param>
/// <param name="Hang">Hold the request this long before answering (the client times out first).</param>
/// <param name="ProcessFirst">Apply the request's effect (create the run) and then answer with the fault: an accepted request whose answer is lost.</param>
public sealed record Fault(int? Status = null, string? Body = null, int? RetryAfter = null, TimeSpan? Hang = null, bool ProcessFirst = false)
{
    public static Fault Answer(int status, int? retryAfter = null) => new(status, RetryAfter: retryAfter);

    public static Fault Malformed() => new(200, Body: "{\"id\": 12, \"status\": ");

    public static Fault HangFor(TimeSpan duration) => new(Hang: duration);
}

public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, playing an API the providers call. Faults are queued per
/// operation and each consumes one request; every request is recorded.
/// </summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> faults = new(StringComparer.Ordinal);
    private WebApplication? app;

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IEnumerable<RecordedRequest> RequestsTo(string operation) => Requests.Where(r => OperationOf(r.Method, r.Path) == operation);

    public void Inject(string operation, params Fault[] script)
    {
        var queue = faults.GetOrAdd(operation, _ => new ConcurrentQueue<Fault>());
        foreach (var fault in script)
        {
            queue.Enqueue(fault);
        }
    }

    public async Task StartAsync()
    {
        var builder = LoopbackWebApplication.CreateBuilder();
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("no server");
        BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await app.StopAsync(stopping.Token);
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The operation a request performs (e.g. "dispatch"), or null for an unknown route.</summary>
    protected abstract string? OperationOf(string method, string path);

    /// <summary>Answers the request as the real API would.</summary>
    protected abstract Task HandleNormallyAsync(HttpContext context, string operation, string body);

    /// <summary>The API's usual error body for a status.</summary>
    protected abstract string ErrorBody(int status);

    protected static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            path,
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            DateTimeOffset.UtcNow));

        var operation = OperationOf(context.Request.Method, path);
        if (operation is null)
        {
            await WriteJsonAsync(context, 404, ErrorBody(404));
            return;
        }

        if (faults.TryGetValue(operation, out var queue) && queue.TryDequeue(out var fault))
        {
            if (fault.ProcessFirst)
            {
                // Let the effect happen against a throw-away response, then answer with the fault.
                var real = context.Response.Body;
                context.Response.Body = Stream.Null;
                await HandleNormallyAsync(context, operation, body);
                context.Response.Body = real;
                context.Response.Headers.Clear();
            }

            if (fault.Hang is { } hang)
            {
                try
                {
                    await Task.Delay(hang, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (fault.Status is { } status)
            {
                if (fault.RetryAfter is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await WriteJsonAsync(context, status, fault.Body ?? ErrorBody(status));
                return;
            }

            if (fault.ProcessFirst)
            {
                context.Abort();
                return;
            }
        }

        await HandleNormallyAsync(context, operation, body);
    }
}
