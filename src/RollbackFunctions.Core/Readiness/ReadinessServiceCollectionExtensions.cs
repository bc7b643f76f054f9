using RollbackFunctions.Scheduling;

namespace RollbackFunctions.Readiness;

public static class ReadinessServiceCollectionExtensions
{
    /// <summary>
    /// The readiness read model, its route's handler, the scheduled check and the schedules
    /// (<c>Rollback:Drills:Schedule</c>, <c>Rollback:Readiness:Schedule</c>, validated at start). Hosts call
    /// <see cref="ScheduledWork.RunDueAsync"/> every <see cref="ScheduledWork.TickInterval"/>. Needs <c>AddRollbackWorkflow</c>.
    /// </summary>
    public static IServiceCollection AddRollbackReadiness(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoggedReadinessNotifications>();
        services.TryAddSingleton<IReadinessNotifications>(sp => sp.GetRequiredService<LoggedReadinessNotifications>());
        services.TryAddSingleton<ReadinessReader>();
        services.TryAddSingleton<ReadinessHandler>();
        services.TryAddSingleton<ReadinessCheck>();
        foreach (var section in new[] { ScheduleOptions.DrillsSection, ScheduleOptions.ReadinessSection })
        {
            services.AddValidatedOptions<ScheduleOptions, ScheduleOptionsValidator>(configuration.GetSection(section), name: section);
        }

        services.TryAddSingleton<ScheduleClaims>();
        services.TryAddSingleton<ScheduledWork>();
        return services;
    }
}
