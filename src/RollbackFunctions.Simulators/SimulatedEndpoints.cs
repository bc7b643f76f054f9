using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Simulators;

/// <summary>What one simulated endpoint answers now.</summary>
public sealed record EndpointBehaviour(int Status = 200, string Body = "Healthy", TimeSpan Latency = default);

/// <summary>
/// Smoke and health endpoints on loopback (<c>GET /{anything}</c>), whose answer can be switched at run time; unknown
/// paths answer the default. Counts hits per path.
/// </summary>
public sealed class SimulatedEndpoints : SimulatedServer
{
    private readonly ConcurrentDictionary<string, EndpointBehaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private SimulatedEndpoints()
    {
    }

    public EndpointBehaviour Default { get; set; } = new();

    public static async Task<SimulatedEndpoints> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var endpoints = new SimulatedEndpoints();
        await endpoints.StartServerAsync(port, cancellationToken).ConfigureAwait(false);
        return endpoints;
    }

    /// <param name="path">e.g. "/storefront/health".</param>
    public void Set(string path, EndpointBehaviour behaviour) => _behaviours[Normalize(path)] = behaviour;

    public int Hits(string path) => _hits.TryGetValue(Normalize(path), out var hits) ? hits : 0;

    public int TotalHits => _hits.Values.Sum();

    protected override void Map(WebApplication app) => app.MapGet("/{**path}", async (HttpContext http, string? path) =>
    {
        var key = Normalize(path ?? "");
        _hits.AddOrUpdate(key, 1, (_, n) => n + 1);
        var behaviour = _behaviours.TryGetValue(key, out var own) ? own : Default;
        if (behaviour.Latency > TimeSpan.Zero)
        {
            await Task.Delay(behaviour.Latency, http.RequestAborted).ConfigureAwait(false);
        }

        return Results.Text(behaviour.Body, "text/plain", statusCode: behaviour.Status);
    });

    private static string Normalize(string path) => "/" + path.Trim('/');
}
