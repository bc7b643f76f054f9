using FluentValidation;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Drills;

public static class DrillsServiceCollectionExtensions
{
    /// <summary>The drill starter, its route's handler and the drill's own activities. Needs <c>AddRollbackWorkflow</c>.</summary>
    public static IServiceCollection AddRollbackDrills(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoggedReadinessNotifications>();
        services.TryAddSingleton<IReadinessNotifications>(sp => sp.GetRequiredService<LoggedReadinessNotifications>());
        services.TryAddSingleton<DrillStarter>();
        services.TryAddSingleton<IValidator<DrillBody>, DrillBody.Validator>();
        services.TryAddSingleton<DrillHandler>();
        services.TryAddTransient<PlanDrillActivity>();
        services.TryAddTransient<AnnounceDrillEndActivity>();
        return services;
    }

    /// <summary>
    /// The drill orchestrator under the workflow's current version (the client stamps every new orchestration with it)
    /// and its own activities; it shares the rollback's others.
    /// </summary>
    public static DurableTaskRegistry AddDrillWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator(nameof(DrillOrchestrator), new TaskVersion(Workflow.WorkflowVersion.Current), () => new DrillOrchestrator())
            .AddActivity<PlanDrillActivity>()
            .AddActivity<AnnounceDrillEndActivity>();
    }
}
