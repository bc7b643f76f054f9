using FluentValidation;
using RollbackFunctions.Gate;
using RollbackFunctions.Intake.OpenApi;
using RollbackFunctions.Observability;
using RollbackFunctions.Security;
using RollbackFunctions.Readiness;
using RollbackFunctions.Trust;

namespace RollbackFunctions.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// The intake handlers both hosts call, and who may call them (<see cref="SecurityServiceCollectionExtensions.AddRollbackSecurity"/>). Needs <c>AddRollbackWorkflow</c> (options, storage, <see cref="IRollbackStarter"/>, the planner).
    /// </summary>
    public static IServiceCollection AddRollbackIntake(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddRollbackSecurity(configuration);
        // Every public request validator, one a body type. A release event's is made per event (its type fixes the status).
        services.AddValidatorsFromAssemblyContaining<ReleaseBody>(
            ServiceLifetime.Singleton, filter: scanned => scanned.ValidatorType != typeof(ReleaseBody.EventValidator));
        services.TryAddSingleton<SignalLog>();
        services.AddRollbackStarter(configuration);
        services.AddTriggerAdmission();
        services.TryAddSingleton<TriggerIntake>();
        services.TryAddSingleton<AlertIntakeHandler>();
        services.TryAddSingleton<EventIntakeHandler>();
        services.TryAddSingleton<PipelineRollbackHandler>();
        services.TryAddSingleton<ReleaseHandler>();
        services.TryAddSingleton<RollbackReadHandler>();
        services.TryAddSingleton<ComponentReadHandler>();
        services.TryAddSingleton<OperatorActionHandler>();
        services.AddDeploymentGate(configuration).TryAddTransient<DeploymentGateHandler>();
        services.TryAddSingleton<IntakeRequests>();
        services.TryAddSingleton<IntakeEndpointFilter>();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Problems.Describe);
        services.TryAddSingleton<OperatorPageHandler>();

        // The checked-in document; the dev host's AddRollbackOpenApi replaces it with the generated one.
        services.TryAddSingleton<IRollbackApiDocument, CheckedInApiDocument>();
        services.TryAddSingleton<ApiDocumentHandler>();
        services.AddRollbackReadiness(configuration);
        return services;
    }
}
