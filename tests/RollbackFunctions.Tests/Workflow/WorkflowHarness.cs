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
/// One rollback environment per test (<see cref="RollbackTestEnvironment"/>) with the in-process Durable Task engine
/// running the real orchestrator and activities, driven through the starter and the durable client directly.
/// </summary>
internal sealed class WorkflowHarness : IAsyncDisposable
{
    public const string Component = "shop";
    public const string ApiKeyHeader = RollbackTestEnvironment.DeploymentHeader;
    public const string SmokePath = "/shop/smoke";
    public const string HealthPath = "/shop/health";

    /// <summary>A test orchestration that holds a claim until <see cref="ReleaseEvent"/> (see <see cref="ClaimRunningAsync"/>).</summary>
    public const string HeldRollback = "HeldRollback";
    public const string ReleaseEvent = "release";

    private IHost _host = null!;
    private RollbackTestEnvironment _environment = null!;

    private WorkflowHarness()
    {
    }

    public SimulatedDeploymentApi Api => _environment.Api;

    public SimulatedEndpoints Endpoints => _environment.Endpoints;

    public IncidentSink Incidents => _environment.Incidents;

    public DurableTaskClient Client { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    public IRollbackStarter Starter => Services.GetRequiredService<IRollbackStarter>();

    public ReleaseLedger Ledger => Services.GetRequiredService<ReleaseLedger>();

    public ComponentStateStore Components => Services.GetRequiredService<ComponentStateStore>();

    public RollbackAuditStore Audit => Services.GetRequiredService<RollbackAuditStore>();

    public TriggerKeyStore TriggerKeys => Services.GetRequiredService<TriggerKeyStore>();

    public static string Digest(char c) => RollbackTestEnvironment.Digest(c);

    /// <summary>Settings every test starts from; <paramref name="configure"/> changes or adds keys.</summary>
    public static async Task<WorkflowHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var harness = new WorkflowHarness { _environment = await RollbackTestEnvironment.StartAsync() };
        var settings = harness._environment.Settings(confirmationWindow: TimeSpan.FromSeconds(10), incidentAttempts: 3);
        harness._environment.AddComponent(settings, Component, "Storefront");

        // Probes that need retries to settle: three smoke attempts, and a health check that must pass twice in a row.
        settings[$"Rollback:Components:{Component}:SmokeProbes:0:MaxAttempts"] = "3";
        settings[$"Rollback:Components:{Component}:HealthChecks:0:ConsecutivePasses"] = "2";
        settings[$"Rollback:Components:{Component}:HealthChecks:0:MaxAttempts"] = "4";
        configure?.Invoke(settings);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRollbackWorkflow(builder.Configuration);
        builder.Services.AddRollbackStarter(builder.Configuration);
        builder.Services.AddInMemoryDurableTask(
            registry => registry.AddRollbackWorkflow().AddOrchestratorFunc<string?, string?>(HeldRollback, (context, _) => context.WaitForExternalEvent<string?>(ReleaseEvent)),
            new InMemoryDurableTaskOptions { Port = Azurite.FreePort() });
        builder.Services.AddRollbackWorkflowVersioning();
        services?.Invoke(builder.Services);
        harness._host = builder.Build();
        await harness._host.StartAsync();
        harness.Client = harness._host.Services.GetRequiredService<DurableTaskClient>();
        return harness;
    }

    /// <summary>
    /// Claims the component for <paramref name="rollbackId"/> as the starter does, with a real orchestration behind the
    /// claim that runs until it gets <see cref="ReleaseEvent"/> (a rollback in flight that does nothing of its own).
    /// </summary>
    public async Task ClaimRunningAsync(string rollbackId, string orchestrator = HeldRollback)
    {
        Assert.Equal(ClaimOutcome.Claimed, (await Components.TryClaimAsync(Component, rollbackId)).Outcome);
        await ScheduleClaimedAsync(rollbackId, orchestrator);
    }

    /// <summary>Schedules the orchestration of an existing claim and marks the claim scheduled, as the starter does.</summary>
    public async Task ScheduleClaimedAsync(string rollbackId, string orchestrator = HeldRollback)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input: null, new StartOrchestrationOptions(rollbackId));
        Assert.True(await Components.MarkScheduledAsync(Component, rollbackId));
    }

    /// <summary>1.0.0 and 1.1.0 verified, 1.2.0 current (deployed, broken), all on schema 7 and pinned by digest.</summary>
    public Task SeedStandardReleasesAsync() => RollbackTestEnvironment.SeedStandardReleasesAsync(Ledger, Components, Component);

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

        await _environment.DisposeAsync();
    }
}
