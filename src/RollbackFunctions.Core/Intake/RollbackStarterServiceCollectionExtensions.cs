using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.Intake;

public static class RollbackStarterServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IRollbackStarter"/> and what it shares with the reconciler (the claim grace, the ending of a claim it
    /// takes over). Needs <c>AddRollbackWorkflow</c> (options, storage).
    /// </summary>
    public static IServiceCollection AddRollbackStarter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRollbackReconciler(configuration);
        services.TryAddSingleton<ComponentJoinBatcher>();
        services.TryAddSingleton<IRollbackStarter, RollbackStarter>();
        return services;
    }
}
