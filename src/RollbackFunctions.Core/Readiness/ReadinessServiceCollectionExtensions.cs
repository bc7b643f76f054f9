using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RollbackFunctions.Readiness;

public static class ReadinessServiceCollectionExtensions
{
    /// <summary>The readiness read model and its route's handler. Needs <c>AddRollbackWorkflow</c> (planner, storage).</summary>
    public static IServiceCollection AddRollbackReadiness(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReadinessReader>();
        services.TryAddSingleton<ReadinessHandler>();
        return services;
    }
}
