using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.DevHost.Demo;
using RollbackFunctions.DevHost.DurableEngine;
using RollbackFunctions.Security;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>
/// Once the server listens, prints what a user needs: the URL, the engine, the components, and in demo mode the demo
/// key (configured keys are never printed otherwise), the simulators and the demo script to try.
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    IConfiguration configuration,
    IOptions<DevHostOptions> devHost,
    IOptions<DurableEngineOptions> engine,
    IOptions<RollbackOptions> rollback,
    IOptions<RollbackApiOptions> api,
    IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Compose()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Compose()
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? DevHostOptions.DefaultUrl;
        var text = new StringBuilder();
        var demo = devHost.Value.Demo;
        text.AppendLine();
        text.AppendLine(demo ? "RollbackFunctions dev host (demo mode)" : "RollbackFunctions dev host");
        text.AppendLine($"  API         {url}/api");
        text.AppendLine(demo
            ? $"  API key     {(api.Value.Keys.Count > 0 ? api.Value.Keys[0].Key : "(none)")}   (all roles; header x-functions-key, or ?code=)"
            : $"  API keys    {api.Value.Keys.Count} configured in RollbackApi:Keys (header x-functions-key, or ?code=): {string.Join("; ", api.Value.Keys)}");
        if (api.Value.Entra is { } entra)
        {
            text.AppendLine($"  Entra ID    bearer tokens from {entra.Authority} for audience {entra.Audience}");
        }

        var mode = engine.Value.Mode;
        text.AppendLine(mode == DurableEngineMode.AzureStorage
            ? $"  Engine      Durable Task Azure Storage, task hub {engine.Value.TaskHubName(configuration)} (persistent)"
            : "  Engine      in memory (DurableEngine:Mode=InMemory): rollbacks in flight are lost when the host stops");
        text.AppendLine("  Components");
        foreach (var (name, component) in rollback.Value.Components.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var confirmation = component.RequireOperatorConfirmation ? "operator confirms" : "no confirmation";
            text.AppendLine($"    {name,-16} {component.Kind,-15} via {component.Provider}, {component.SmokeProbes.Count} smoke probe(s), {component.HealthChecks.Count} health check(s), {confirmation}");
        }

        if (services.GetService<DemoSimulatorPorts>() is { } ports)
        {
            text.AppendLine($"  Simulators  deployments {DemoSimulatorPorts.Url(ports.DeploymentApi)}, endpoints {DemoSimulatorPorts.Url(ports.Endpoints)}, incidents {DemoSimulatorPorts.Url(ports.Incidents)}");
            text.AppendLine($"  Try it      ROLLBACK_URL={url} ./samples/demo.sh   (in another terminal)");
        }

        text.AppendLine();
        return text.ToString();
    }
}
