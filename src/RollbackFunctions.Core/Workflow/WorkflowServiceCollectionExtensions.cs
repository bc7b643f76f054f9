using RollbackFunctions.Deployment;
using RollbackFunctions.Drills;
using RollbackFunctions.Incidents;
using RollbackFunctions.Intake;
using RollbackFunctions.Notifications;
using RollbackFunctions.Observability;
using RollbackFunctions.Security.Outbound;
using RollbackFunctions.Verification;

namespace RollbackFunctions.Workflow;

public static class WorkflowServiceCollectionExtensions
{
    // Registered twice, in DI (the Functions app's wrappers resolve them) and in the engine's registry (under their
    // class names, the names the orchestrator calls): one list keeps the two alike.
    private static readonly Type[] Activities =
    [
        typeof(ValidateRollbackTargetActivity),
        typeof(StartDeploymentActivity),
        typeof(GetDeploymentProgressActivity),
        typeof(RunProbeActivity),
        typeof(RunFirstProbeRoundActivity),
        typeof(RecordAuditActivity),
        typeof(EscalateIncidentActivity),
        typeof(SettleComponentActivity),
        typeof(CancelDeploymentActivity),
    ];

    /// <summary>
    /// The rollback workflow's services: validated "Rollback" options (checked at start), Table Storage, deployment
    /// providers (keyed by <see cref="DeploymentProviderType"/>), the probe runner, the incident notifier and the
    /// activities (so hosts can resolve them); the intake registers the starter. The durable engine itself is the
    /// host's: register the orchestrator and activities with <see cref="AddRollbackWorkflow(DurableTaskRegistry)"/>.
    /// </summary>
    public static IServiceCollection AddRollbackWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<RollbackOptions, RollbackOptionsValidator>(configuration.GetSection(RollbackOptions.SectionName));
        services.AddRollbackStorage(configuration);
        services.AddMetrics();
        services.TryAddSingleton<RollbackMetrics>();

        services.AddDeploymentProviders(configuration);
        services.AddRollbackNotifications(configuration);

        // Probes and escalations must not be retried by a handler: the workflow counts attempts with durable timers.
        services.AddHttpClient<ProbeRunner>();
        services.AddHttpClient<IncidentNotifier>().CarriesCredentials();

        services.TryAddSingleton<RollbackPlanner>();
        foreach (var activity in Activities)
        {
            services.TryAddTransient(activity);
        }

        services.AddRollbackDrills();
        return services;
    }

    /// <summary>
    /// Registers the orchestrator, under each version whose logic this build runs (<see cref="WorkflowVersion"/>), and
    /// every activity under their class names (the names the orchestrator calls; activities are unversioned, so any
    /// orchestration version finds them). Pair with <see cref="WorkflowVersion.AddRollbackWorkflowVersioning"/>.
    /// </summary>
    public static DurableTaskRegistry AddRollbackWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddRollbackOrchestrator(WorkflowVersion.Current);
        foreach (var kept in WorkflowVersion.Kept)
        {
            registry.AddRollbackOrchestrator(kept);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry
            .AddRollbackNotifications()
            .AddDrillWorkflow();
    }

    /// <summary>The orchestrator under <paramref name="version"/>: an orchestration of a version nobody registered fails in the engine.</summary>
    public static DurableTaskRegistry AddRollbackOrchestrator(this DurableTaskRegistry registry, string version)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AddOrchestrator(nameof(RollbackOrchestrator), new TaskVersion(version), () => new RollbackOrchestrator());
    }
}
