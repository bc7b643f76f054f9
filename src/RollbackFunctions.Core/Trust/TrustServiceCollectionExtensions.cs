namespace RollbackFunctions.Trust;

public static class TrustServiceCollectionExtensions
{
    /// <summary>Trigger admission (API.md "Trust rules"): needs the storage and the incident notifier of <c>AddRollbackWorkflow</c>.</summary>
    public static IServiceCollection AddTriggerAdmission(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RefusedTriggerLog>();
        services.TryAddSingleton<TriggerAdmissionGate>();
        return services;
    }
}
