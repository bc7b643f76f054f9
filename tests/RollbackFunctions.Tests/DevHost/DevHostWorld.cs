using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// Everything a dev host process talks to, owned by the test so it outlives the host (a crash test restarts the host
/// against the same world): the simulated deployment API, probed endpoints and incident sink in this process, and a
/// task hub and table prefix of its own in the shared Azurite.
/// </summary>
internal sealed class DevHostWorld : IAsyncDisposable
{
    public const string Component = "storefront";
    public const string GoodVersion = "1.4.0";
    public const string BadVersion = "1.5.0";

    private DevHostWorld(SimulatedDeploymentApi deployments, SimulatedEndpoints endpoints, IncidentSink incidents)
    {
        Deployments = deployments;
        Endpoints = endpoints;
        Incidents = incidents;
        var id = Guid.NewGuid().ToString("N")[..10];
        TaskHub = "Hub" + id;
        TablePrefix = "Dh" + id;
        Port = Azurite.FreePort();
    }

    public SimulatedDeploymentApi Deployments { get; }

    public SimulatedEndpoints Endpoints { get; }

    public IncidentSink Incidents { get; }

    public string TaskHub { get; }

    public string TablePrefix { get; }

    public int Port { get; }

    public static async Task<DevHostWorld> CreateAsync()
    {
        var deployments = await SimulatedDeploymentApi.StartAsync();
        deployments.RequiredHeader = "x-test-key: local-only";
        return new DevHostWorld(deployments, await SimulatedEndpoints.StartAsync(), await IncidentSink.StartAsync());
    }

    /// <summary>The host's environment: Azurite for the task hub and the tables, one component deploying through the simulators.</summary>
    public Dictionary<string, string> Environment(bool requireConfirmation, string deploymentPollInterval = "00:00:01")
    {
        var c = $"Rollback__Components__{Component}__";
        return new Dictionary<string, string>
        {
            ["DurableTaskStorage"] = Azurite.ConnectionString,
            ["RollbackStorage"] = Azurite.ConnectionString,
            ["RollbackTaskHub"] = TaskHub,
            ["RollbackStorageOptions__TablePrefix"] = TablePrefix,
            ["DurableEngine__Mode"] = "AzureStorage",

            // Crash recovery waits this long for an interrupted step; the activities here take milliseconds.
            ["DurableEngine__WorkItemVisibilityTimeout"] = "00:00:10",
            ["DurableEngine__ControlQueueVisibilityTimeout"] = "00:00:10",
            [$"RollbackApi__Keys__{DevHostProcess.KeyHolder}__Key"] = DevHostProcess.ApiKey,
            [$"RollbackApi__Keys__{DevHostProcess.KeyHolder}__Roles"] = string.Join(',', RollbackFunctions.Security.RollbackRoles.All),
            ["RollbackApi__Keys__0"] = DevHostProcess.BareKey,
            ["Rollback__Budget"] = "00:05:00",
            ["Rollback__DeploymentPollInterval"] = deploymentPollInterval,
            ["Rollback__Incident__Url"] = Incidents.IncidentUrl.ToString(),
            ["Rollback__Providers__platform__Type"] = "Generic",
            ["Rollback__Providers__platform__Generic__BaseUrl"] = Deployments.BaseUrl.ToString(),
            ["Rollback__Providers__platform__Generic__StaticHeader"] = "x-test-key: local-only",
            [c + "Kind"] = "Storefront",
            [c + "Provider"] = "platform",
            [c + "RequireOperatorConfirmation"] = requireConfirmation ? "true" : "false",
            [c + "SmokeProbes__0__Name"] = "home",
            [c + "SmokeProbes__0__Url"] = Endpoints.Url($"{Component}/smoke").ToString(),
            [c + "SmokeProbes__0__Interval"] = "00:00:00.200",
            [c + "HealthChecks__0__Name"] = "health",
            [c + "HealthChecks__0__Url"] = Endpoints.Url($"{Component}/health").ToString(),
            [c + "HealthChecks__0__BodyContains"] = "Healthy",
            [c + "HealthChecks__0__ConsecutivePasses"] = "2",
            [c + "HealthChecks__0__Interval"] = "00:00:00.200",
        };
    }

    /// <summary>1.4.0 verified (known healthy), then 1.5.0 deployed: the ledger a rollback needs.</summary>
    public static async Task RecordReleasesAsync(DevHostProcess host)
    {
        var (verified, _) = await host.PostJsonAsync("/api/releases", new { component = Component, version = GoodVersion, artifact = Artifact('1'), status = "Verified", schemaVersion = "7" });
        var (deployed, _) = await host.PostJsonAsync("/api/releases", new { component = Component, version = BadVersion, artifact = Artifact('2'), status = "Deployed", schemaVersion = "7" });
        Assert.Equal(201, verified);
        Assert.Equal(201, deployed);
    }

    /// <summary>
    /// A deployment that runs for several seconds whatever the timers do (on this backend a durable timer may fire up
    /// to about a second early): 3 polls answer Running, every request takes 300 ms, and the poll interval is 2 s.
    /// </summary>
    public const string SlowPollInterval = "00:00:02";

    public static DeploymentScript SlowDeployment => DeploymentScript.SucceedAfter(3, TimeSpan.FromMilliseconds(300));

    public static string Artifact(char digit) => "registry.example.com/shop/storefront@sha256:" + new string(digit, 64);

    /// <summary>An Azure Monitor common-schema alert on the component, fired now.</summary>
    public static object FiredAlert(string alertId) => new
    {
        schemaId = "azureMonitorCommonAlertSchema",
        data = new
        {
            essentials = new
            {
                alertId,
                alertRule = "storefront-5xx-rate",
                severity = "Sev1",
                signalType = "Metric",
                monitorCondition = "Fired",
                alertTargetIDs = new[] { "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/demo/providers/microsoft.web/sites/storefront" },
                firedDateTime = DateTimeOffset.UtcNow.ToString("O"),
                description = "HTTP 5xx above 5% after 1.5.0",
            },
            customProperties = new { component = Component },
        },
    };

    public static async Task<string> FireAlertAsync(DevHostProcess host)
    {
        var (status, body) = await host.PostJsonAsync("/api/alerts", FiredAlert("/subscriptions/0/providers/Microsoft.AlertsManagement/alerts/" + Guid.NewGuid()));
        Assert.True(status == 202, $"alert answered {status}: {body}\n{host.Tail()}");
        return body.GetProperty("rollbackId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Deployments.DisposeAsync();
        await Endpoints.DisposeAsync();
        await Incidents.DisposeAsync();
    }
}
