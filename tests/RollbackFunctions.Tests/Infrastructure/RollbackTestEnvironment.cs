using RollbackFunctions.Domain;
using RollbackFunctions.Simulators;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Tests.Infrastructure;

/// <summary>
/// What every in-process rollback host of the tests stands on: Azurite tables under a fresh prefix and real loopback
/// servers for the deployment API, the probed endpoints and the incident webhook, with the settings that point the app
/// at them. Timings are seconds, not minutes, so the suite stays fast. The hosts (the workflow harness, the intake's
/// HTTP host) add their components and their own pipeline.
/// </summary>
internal sealed class RollbackTestEnvironment : IAsyncDisposable
{
    public const string DeploymentHeader = "x-demo-key: local-only";

    private RollbackTestEnvironment(SimulatedDeploymentApi api, SimulatedEndpoints endpoints, IncidentSink incidents, string tablePrefix)
    {
        Api = api;
        Endpoints = endpoints;
        Incidents = incidents;
        TablePrefix = tablePrefix;
    }

    public SimulatedDeploymentApi Api { get; }

    public SimulatedEndpoints Endpoints { get; }

    public IncidentSink Incidents { get; }

    public string TablePrefix { get; }

    public static string Digest(char c) => "registry.example.test/shop@sha256:" + new string(c, 64);

    public static async Task<RollbackTestEnvironment> StartAsync()
    {
        var environment = new RollbackTestEnvironment(
            await SimulatedDeploymentApi.StartAsync(), await SimulatedEndpoints.StartAsync(), await IncidentSink.StartAsync(), Azurite.CreateTablePrefix());
        environment.Api.RequiredHeader = DeploymentHeader;
        return environment;
    }

    /// <summary>Storage, budget, polling, the incident webhook and the generic provider "platform"; no component yet.</summary>
    public Dictionary<string, string?> Settings(TimeSpan confirmationWindow, int incidentAttempts) => new()
    {
        ["RollbackStorage"] = Azurite.ConnectionString,
        ["RollbackStorageOptions:TablePrefix"] = TablePrefix,
        ["Rollback:Budget"] = "00:00:30",
        ["Rollback:ConfirmationWindow"] = confirmationWindow.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Rollback:DeploymentPollInterval"] = "00:00:00.100",
        ["Rollback:Incident:Url"] = Incidents.IncidentUrl.AbsoluteUri,
        ["Rollback:Incident:MaxAttempts"] = incidentAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Rollback:Incident:InitialBackoff"] = "00:00:00.100",
        ["Rollback:Providers:platform:Type"] = "Generic",
        ["Rollback:Providers:platform:Generic:BaseUrl"] = Api.BaseUrl.AbsoluteUri,
        ["Rollback:Providers:platform:Generic:StaticHeader"] = DeploymentHeader,
    };

    /// <summary>
    /// A component deployed through "platform" that needs operator confirmation, with one smoke probe at
    /// <c>/{component}/smoke</c> and one health check at <c>/{component}/health</c> that wants "Healthy" in the body.
    /// </summary>
    public void AddComponent(Dictionary<string, string?> settings, string component, string kind)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var prefix = $"Rollback:Components:{component}:";
        settings[prefix + "Kind"] = kind;
        settings[prefix + "Provider"] = "platform";
        settings[prefix + "RequireOperatorConfirmation"] = "true";
        settings[prefix + "SmokeProbes:0:Name"] = "home";
        settings[prefix + "SmokeProbes:0:Url"] = Endpoints.Url($"/{component}/smoke").AbsoluteUri;
        settings[prefix + "SmokeProbes:0:Interval"] = "00:00:00.050";
        settings[prefix + "HealthChecks:0:Name"] = "health";
        settings[prefix + "HealthChecks:0:Url"] = Endpoints.Url($"/{component}/health").AbsoluteUri;
        settings[prefix + "HealthChecks:0:BodyContains"] = "Healthy";
        settings[prefix + "HealthChecks:0:Interval"] = "00:00:00.050";
    }

    /// <summary>1.0.0 and 1.1.0 verified, 1.2.0 deployed and current (the broken one), all on schema 7 and pinned by digest.</summary>
    public static async Task SeedStandardReleasesAsync(ReleaseLedger ledger, ComponentStateStore components, string component)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(components);
        foreach (var (version, digit, status) in new[] { ("1.0.0", 'a', ReleaseStatus.Verified), ("1.1.0", 'b', ReleaseStatus.Verified), ("1.2.0", 'c', ReleaseStatus.Deployed) })
        {
            var written = await ledger.RecordAsync(component, version, Digest(digit), status, "7", null);
            Assert.NotEqual(ReleaseWriteOutcome.ArtifactConflict, written.Outcome);

            // RecordedAt orders the ledger; keep seeded releases strictly apart.
            await Task.Delay(5);
        }

        await components.RecordDeployedVersionAsync(component, "1.2.0", verified: false);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Endpoints.DisposeAsync();
        await Incidents.DisposeAsync();
    }
}
