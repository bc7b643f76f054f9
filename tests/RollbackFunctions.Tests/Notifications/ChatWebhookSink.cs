using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.Notifications;

/// <summary>One POST the sink received: its path, headers and JSON body, and whether it was accepted.</summary>
internal sealed record WebhookRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonElement Body, bool Accepted, DateTimeOffset At)
{
    public string? IdempotencyKey => Headers.TryGetValue("Idempotency-Key", out var key) ? key : null;
}

/// <summary>
/// Chat webhooks on 127.0.0.1 (Teams Workflows, Slack incoming webhooks, a generic receiver: any path): records every
/// POST and answers 200, or 503 for the first N or for all. A real HTTP server, so the sender's headers, content type
/// and body are what a real webhook would see.
/// </summary>
internal sealed class ChatWebhookSink : SimulatedServer
{
    private readonly ConcurrentQueue<WebhookRequest> _requests = new();
    private int _failRemaining;

    public IReadOnlyList<WebhookRequest> Requests => [.. _requests];

    public bool FailAll { get; set; }

    public static async Task<ChatWebhookSink> StartAsync()
    {
        var sink = new ChatWebhookSink();
        await sink.StartServerAsync(0, CancellationToken.None);
        return sink;
    }

    public void FailFirst(int count) => Volatile.Write(ref _failRemaining, count);

    public IReadOnlyList<WebhookRequest> At(string path) => [.. Requests.Where(r => r.Path == path)];

    public async Task<WebhookRequest> WaitForAcceptedAsync(string path, string idempotencyKey, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        while (DateTime.UtcNow < until)
        {
            if (Requests.FirstOrDefault(r => r.Path == path && r.Accepted && r.IdempotencyKey == idempotencyKey) is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no accepted delivery of {idempotencyKey} at {path}; saw: {string.Join(", ", Requests.Select(r => $"{r.Path} {r.IdempotencyKey} {r.Accepted}"))}");
    }

    protected override void Map(WebApplication app) => app.MapPost("/{**path}", async (HttpContext http) =>
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: http.RequestAborted);
        var refuse = FailAll || Interlocked.Decrement(ref _failRemaining) >= 0;
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new WebhookRequest(http.Request.Path.Value!, http.Request.QueryString.Value ?? "", headers, body, !refuse, DateTimeOffset.UtcNow));
        return refuse ? Results.StatusCode(503) : Results.Ok();
    });
}
