using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Drills;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>
/// One function per activity (the rollback's and the drill's), named exactly as the orchestrators call it; each resolves the activity class from the
/// invocation's services and runs it. Method names differ from the class names on purpose (see PLATFORM_NOTES).
/// </summary>
public static class RollbackActivityFunctions
{
    [Function(nameof(ValidateRollbackTargetActivity))]
    public static Task<RollbackPlan> ValidateRollbackTarget([ActivityTrigger] ValidateRollbackTargetInput input, FunctionContext context) =>
        Run<ValidateRollbackTargetActivity, ValidateRollbackTargetInput, RollbackPlan>(nameof(ValidateRollbackTargetActivity), input, context);

    [Function(nameof(StartDeploymentActivity))]
    public static Task<DeploymentStartResult> StartDeployment([ActivityTrigger] StartDeploymentInput input, FunctionContext context) =>
        Run<StartDeploymentActivity, StartDeploymentInput, DeploymentStartResult>(nameof(StartDeploymentActivity), input, context);

    [Function(nameof(GetDeploymentProgressActivity))]
    public static Task<DeploymentPollResult> GetDeploymentProgress([ActivityTrigger] GetDeploymentProgressInput input, FunctionContext context) =>
        Run<GetDeploymentProgressActivity, GetDeploymentProgressInput, DeploymentPollResult>(nameof(GetDeploymentProgressActivity), input, context);

    [Function(nameof(RunProbeActivity))]
    public static Task<ProbeResult> RunProbe([ActivityTrigger] RunProbeInput input, FunctionContext context) =>
        Run<RunProbeActivity, RunProbeInput, ProbeResult>(nameof(RunProbeActivity), input, context);

    [Function(nameof(RunFirstProbeRoundActivity))]
    public static Task<ProbeRoundResult> RunFirstProbeRound([ActivityTrigger] ProbeRoundInput input, FunctionContext context) =>
        Run<RunFirstProbeRoundActivity, ProbeRoundInput, ProbeRoundResult>(nameof(RunFirstProbeRoundActivity), input, context);

    [Function(nameof(RecordAuditActivity))]
    public static Task<bool> RecordAudit([ActivityTrigger] RecordAuditInput input, FunctionContext context) =>
        Run<RecordAuditActivity, RecordAuditInput, bool>(nameof(RecordAuditActivity), input, context);

    [Function(nameof(EscalateIncidentActivity))]
    public static Task<IncidentDeliveryResult> EscalateIncident([ActivityTrigger] EscalateIncidentInput input, FunctionContext context) =>
        Run<EscalateIncidentActivity, EscalateIncidentInput, IncidentDeliveryResult>(nameof(EscalateIncidentActivity), input, context);

    [Function(nameof(SettleComponentActivity))]
    public static Task<SettleComponentResult> SettleComponent([ActivityTrigger] SettleComponentInput input, FunctionContext context) =>
        Run<SettleComponentActivity, SettleComponentInput, SettleComponentResult>(nameof(SettleComponentActivity), input, context);

    [Function(nameof(CancelDeploymentActivity))]
    public static Task<CancelDeploymentResult> CancelDeployment([ActivityTrigger] CancelDeploymentInput input, FunctionContext context) =>
        Run<CancelDeploymentActivity, CancelDeploymentInput, CancelDeploymentResult>(nameof(CancelDeploymentActivity), input, context);

    [Function(nameof(PlanDrillActivity))]
    public static Task<RollbackPlan> PlanDrill([ActivityTrigger] ValidateRollbackTargetInput input, FunctionContext context) =>
        Run<PlanDrillActivity, ValidateRollbackTargetInput, RollbackPlan>(nameof(PlanDrillActivity), input, context);

    [Function(nameof(AnnounceDrillEndActivity))]
    public static Task<bool> AnnounceDrillEnd([ActivityTrigger] DrillEnded input, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        Run<AnnounceDrillEndActivity, DrillEnded, bool>(nameof(AnnounceDrillEndActivity), input, context,
            services => ActivatorUtilities.CreateInstance<AnnounceDrillEndActivity>(services, client));

    /// <param name="create">How to make the activity when it needs more than DI holds (a binding's value); else it is resolved.</param>
    internal static Task<TOutput> Run<TActivity, TInput, TOutput>(string name, TInput input, FunctionContext context, Func<IServiceProvider, TActivity>? create = null)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = create is null ? context.InstanceServices.GetRequiredService<TActivity>() : create(context.InstanceServices);
        var instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var bound) && bound is string id ? id : context.InvocationId;
        return activity.RunAsync(new FunctionActivityContext(name, instanceId), input);
    }

    /// <summary>The activity classes read nothing from their context but its name and id.</summary>
    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = new(name);

        public override string InstanceId { get; } = instanceId;
    }
}
