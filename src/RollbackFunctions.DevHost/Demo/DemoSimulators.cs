using RollbackFunctions.Simulators;

namespace RollbackFunctions.DevHost.Demo;

/// <summary>
/// Demo mode's outside world on loopback: the generic deployment API (each deployment runs for two polls, then
/// succeeds), the smoke and health endpoints (all healthy), and the incident sink. Registered before the durable
/// engine, so it is up before a rollback runs and stops after the engine.
/// </summary>
internal sealed partial class DemoSimulators(DemoSimulatorPorts ports, ILogger<DemoSimulators> logger) : IHostedService, IAsyncDisposable
{
    public const string DemoDeploymentHeader = "x-demo-key: local-only";

    private SimulatedDeploymentApi? deploymentApi;
    private SimulatedEndpoints? endpoints;
    private IncidentSink? incidents;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        deploymentApi = await SimulatedDeploymentApi.StartAsync(ports.DeploymentApi, cancellationToken).ConfigureAwait(false);
        deploymentApi.DefaultScript = DeploymentScript.SucceedAfter(2);
        deploymentApi.RequiredHeader = DemoDeploymentHeader;
        endpoints = await SimulatedEndpoints.StartAsync(ports.Endpoints, cancellationToken).ConfigureAwait(false);
        incidents = await IncidentSink.StartAsync(ports.Incidents, cancellationToken).ConfigureAwait(false);
        LogStarted(logger, deploymentApi.BaseUrl, endpoints.BaseUrl, incidents.BaseUrl);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in new SimulatedServer?[] { incidents, endpoints, deploymentApi })
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }

        (incidents, endpoints, deploymentApi) = (null, null, null);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Demo simulators: deployment API {DeploymentApi}, endpoints {Endpoints}, incident sink {Incidents}")]
    private static partial void LogStarted(ILogger logger, Uri deploymentApi, Uri endpoints, Uri incidents);
}
