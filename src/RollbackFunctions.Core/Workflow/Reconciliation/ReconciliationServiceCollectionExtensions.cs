namespace RollbackFunctions.Workflow.Reconciliation;

public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>
    /// The reconciler and its options (<c>Rollback:Reconciler</c>, validated at start). Needs <c>AddRollbackWorkflow</c>
    /// (storage, the incident notifier). Hosts run <see cref="RollbackReconciler.ReconcileAsync"/> every
    /// <see cref="ReconcilerOptions.Interval"/>: a timer function in the Functions app, a hosted service in the dev host.
    /// </summary>
    public static IServiceCollection AddRollbackReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<ReconcilerOptions, ReconcilerOptionsValidator>(configuration.GetSection(ReconcilerOptions.SectionName));
        services.TryAddSingleton<AbandonedRollbackEnding>();
        services.TryAddSingleton<RollbackReconciler>();
        return services;
    }
}
