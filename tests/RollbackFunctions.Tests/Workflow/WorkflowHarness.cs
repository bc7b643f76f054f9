using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Simulators;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>
/// One rollback environment per test: the in-process Durable Task engine running the real orchestrator and activities,
/// Azurite tables under a fresh prefix, and real loopback servers for the deployment API, the probed endpoints and the
/// incident webhook. Timings are seconds, not minutes, so the suite stays fast.
/// </summary>
internal sealed class WorkflowHarness : IAsyncDisposable
{
    public const string Component = "shop";
    public const string ApiKeyHeader = "x-demo-key: local-only";
    public const string SmokePath = "/shop/smoke";
    public const string HealthPath = "/shop/health";

    private IHost _host = null!;

    private WorkflowHarness()
    {
    }

    public SimulatedDeploymentApi Api { get; private set; } = null!;

    public SimulatedEndpoints Endpoints { get; private set; } = null!;

    public IncidentSink Incidents { get; private set; } = null!;

    public DurableTaskClient Client { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    public IRollbackStarter Starter => Services.GetRequiredService<IRollbackStarter>();

    public ReleaseLedger Ledger => Services.GetRequiredService<ReleaseLedger>();

    public ComponentStateStore Components => Services.GetRequiredService<ComponentStateStore>();

    public RollbackAuditStore Audit => Services.GetRequiredService<RollbackAuditStore>();

    public TriggerKeyStore TriggerKeys => Services.GetRequiredService<TriggerKeyStore>();

    public static string Digest(char c) => "registry.example.test/shop@sha256:" + new string(c, 64);

    /// <summary>Settings every test starts from; <paramref name="configure"/> changes or adds keys.</summary>
    public static async Task<WorkflowHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var harness = new WorkflowHarness
        {
            Api = await SimulatedDeploymentApi.StartAsync(),
            Endpoints = await SimulatedEndpoints.StartAsync(),
            Incidents = await IncidentSink.StartAsync(),
        };
        harness.Api.RequiredHeader = ApiKeyHeader;
        Azurite.CreateTables(out var prefix);
        var settings = new Dictionary<string, string?>
        {
            ["RollbackStorage"] = Azurite.ConnectionString,
            ["RollbackStorageOptions:TablePrefix"] = prefix,
            ["Rollback:Budget"] = "00:00:30",
            ["Rollback:ConfirmationWindow"] = "00:00:10",
            ["Rollback:DeploymentPollInterval"] = "00:00:00.100",
            ["Rollback:Incident:Url"] = harness.Incidents.IncidentUrl.AbsoluteUri,
            ["Rollback:Incident:MaxAttempts"] = "3",
            ["Rollback:Incident:InitialBackoff"] = "00:00:00.100",
            ["Rollback:Providers:platform:Type"] = "Generic",
            ["Rollback:Providers:platform:Generic:BaseUrl"] = harness.Api.BaseUrl.AbsoluteUri,
            ["Rollback:Providers:platform:Generic:StaticHeader"] = ApiKeyHeader,
            [$"Rollback:Components:{Component}:Kind"] = "Storefront",
            [$"Rollback:Components:{Component}:Provider"] = "platform",
            [$"Rollback:Components:{Component}:RequireOperatorConfirmation"] = "true",
            [$"Rollback:Components:{Component}:SmokeProbes:0:Name"] = "home",
            [$"Rollback:Components:{Component}:SmokeProbes:0:Url"] = harness.Endpoints.Url(SmokePath).AbsoluteUri,
            [$"Rollback:Components:{Component}:SmokeProbes:0:Interval"] = "00:00:00.050",
            [$"Rollback:Components:{Component}:SmokeProbes:0:MaxAttempts"] = "3",
            [$"Rollback:Components:{Component}:HealthChecks:0:Name"] = "health",
            [$"Rollback:Components:{Component}:HealthChecks:0:Url"] = harness.Endpoints.Url(HealthPath).AbsoluteUri,
            [$"Rollback:Components:{Component}:HealthChecks:0:BodyContains"] = "Healthy",
            [$"Rollback:Components:{Component}:HealthChecks:0:ConsecutivePasses"] = "2",
            [$"Rollback:Components:{Component}:HealthChecks:0:Interval"] = "00:00:00.050",
            [$"Rollback:Components:{Component}:HealthChecks:0:MaxAttempts"] = "4",
        };
        configure?.Invoke(settings);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRollbackWorkflow(builder.Configuration);
        builder.Services.AddInMemoryDurableTask(registry => registry.AddRollbackWorkflow(), new InMemoryDurableTaskOptions { Port = Azurite.FreePort() });
        services?.Invoke(builder.Services);
        harness._host = builder.Build();
        await harness._host.StartAsync();
        harness.Client = harness._host.Services.GetRequiredService<DurableTaskClient>();
        return harness;
    }

    /// <summary>1.0.0 and 1.1.0 verified, 1.2.0 current (deployed, broken), all on schema 7 and pinned by digest.</summary>
    public async Task SeedStandardReleasesAsync()
    {
        await RecordAsync("1.0.0", Digest('a'), ReleaseStatus.Verified, "7");
        await RecordAsync("1.1.0", Digest('b'), ReleaseStatus.Verified, "7");
        await RecordAsync("1.2.0", Digest('c'), ReleaseStatus.Deployed, "7", current: true);
    }

    public async Task RecordAsync(string version, string artifact, ReleaseStatus status, string? schema, bool current = false)
    {
        var written = await Ledger.RecordAsync(Component, version, artifact, status, schema, null);
        Assert.NotEqual(ReleaseWriteOutcome.ArtifactConflict, written.Outcome);

        // RecordedAt orders the ledger; keep seeded releases strictly apart.
        await Task.Delay(5);
        if (current)
        {
            await Components.RecordDeployedVersionAsync(Component, version, status == ReleaseStatus.Verified);
        }
    }

    public Task<StartRollbackResult> TriggerAsync(string? targetVersion = null, string? triggerId = null, string component = Component,
        TriggerReason reason = TriggerReason.HealthDegraded, DateTimeOffset? receivedAt = null) =>
        Starter.StartOrJoinAsync(Client, new StartRollbackCommand(component, targetVersion, new RollbackTrigger(
            reason, TriggerSource.Pipeline, triggerId ?? "corr-" + Guid.NewGuid().ToString("N")[..8], receivedAt ?? DateTimeOffset.UtcNow, "pipeline@example.test", "p95 latency 4 s")), CancellationToken.None);

    public async Task<StartRollbackResult> StartedAsync(string? targetVersion = null)
    {
        var started = await TriggerAsync(targetVersion);
        Assert.Equal(StartRollbackOutcome.Started, started.Outcome);
        return started;
    }

    public async Task<RollbackResult> WaitForEndAsync(string rollbackId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < until)
        {
            var instance = await Client.GetInstanceAsync(rollbackId, getInputsAndOutputs: true);
            if (instance is { IsCompleted: true })
            {
                Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"orchestration {instance.RuntimeStatus}: {instance.FailureDetails}");
                return instance.ReadOutputAs<RollbackResult>()!;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"rollback {rollbackId} did not end in time");
    }

    public async Task WaitForPhaseAsync(string rollbackId, RollbackPhase phase, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < until)
        {
            var instance = await Client.GetInstanceAsync(rollbackId, getInputsAndOutputs: true);
            if (instance?.SerializedCustomStatus is not null && instance.ReadCustomStatusAs<RollbackCustomStatus>()?.Phase == phase)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"rollback {rollbackId} did not reach {phase}");
    }

    public Task ConfirmAsync(string rollbackId, string operatorName = "ops@example.test") =>
        Client.RaiseEventAsync(rollbackId, OperatorConfirmation.EventName, new OperatorConfirmation(operatorName, "checkout works", DateTimeOffset.UtcNow));

    public async Task<(RollbackRecord Rollback, IReadOnlyList<RollbackStep> Steps, IReadOnlyList<JoinedTrigger> Joined)> TimelineAsync(string rollbackId)
    {
        var (rollback, steps, joined) = await Audit.GetTimelineAsync(rollbackId);
        Assert.NotNull(rollback);
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Sequence));
        return (rollback, steps, joined);
    }

    public static string Seconds(double seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await Api.DisposeAsync();
        await Endpoints.DisposeAsync();
        await Incidents.DisposeAsync();
    }
}
