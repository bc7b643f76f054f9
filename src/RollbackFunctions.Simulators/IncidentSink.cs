using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Simulators;

/// <summary>One escalation the sink received (accepted or not).</summary>
public sealed record IncidentDelivery(JsonElement Body, bool Accepted, string? IdempotencyKey, DateTimeOffset At)
{
    public string? Text(string property) => Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The incident webhook on loopback (<c>POST /incidents</c>): records deliveries; can fail the first N or all.</summary>
public sealed class IncidentSink : SimulatedServer
{
    private readonly ConcurrentQueue<IncidentDelivery> _deliveries = new();
    private int _failRemaining;

    private IncidentSink()
    {
    }

    public Uri IncidentUrl => Url("incidents");

    /// <summary>Every attempt, accepted or refused, in arrival order.</summary>
    public IReadOnlyList<IncidentDelivery> Attempts => [.. _deliveries];

    public IReadOnlyList<IncidentDelivery> Accepted => [.. _deliveries.Where(d => d.Accepted)];

    public bool FailAll { get; set; }

    public int FailureStatus { get; set; } = 503;

    public TimeSpan Latency { get; set; }

    public static async Task<IncidentSink> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var sink = new IncidentSink();
        await sink.StartServerAsync(port, cancellationToken).ConfigureAwait(false);
        return sink;
    }

    public void FailFirst(int count) => Volatile.Write(ref _failRemaining, count);

    protected override void Map(WebApplication app) => app.MapPost("/incidents", async (HttpContext http) =>
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, http.RequestAborted).ConfigureAwait(false);
        }

        var refuse = FailAll || Interlocked.Decrement(ref _failRemaining) >= 0;
        _deliveries.Enqueue(new IncidentDelivery(body, !refuse, http.Request.Headers["Idempotency-Key"].ToString(), DateTimeOffset.UtcNow));
        return refuse ? Results.StatusCode(FailureStatus) : Results.Accepted();
    });
}
