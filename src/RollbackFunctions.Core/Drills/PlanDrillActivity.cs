using RollbackFunctions.Workflow;

namespace RollbackFunctions.Drills;

/// <summary>
/// The drill's plan: the rollback's own plan against the ledger and the component's state (every precondition, the
/// target it would choose), redirected to the drill environment: its provider and its probes. Reads only.
/// </summary>
public sealed class PlanDrillActivity(RollbackPlanner planner, IOptionsMonitor<RollbackOptions> options, RollbackAuditStore audit)
    : JournaledActivity<ValidateRollbackTargetInput, RollbackPlan>(audit, readsOnly: true)
{
    public const string DrillEnvironmentConfigured = nameof(DrillEnvironmentConfigured);

    protected override async Task<RollbackPlan> WorkAsync(ValidateRollbackTargetInput input)
    {
        var component = input.Component;
        var plan = await planner.PlanAsync(component, targetVersion: null, CancellationToken.None).ConfigureAwait(false);
        if (options.CurrentValue.FindComponent(component)?.Drill is not { } drill)
        {
            // Refused at the route; configuration can change while a drill is scheduled.
            PreconditionCheck missing = new(DrillEnvironmentConfigured, false, $"Rollback:Components:{component}:Drill is not configured: there is no environment to drill against.");
            return plan with { Accepted = false, Preconditions = [.. plan.Preconditions, missing], RejectionReason = plan.RejectionReason ?? missing.Reason };
        }

        PreconditionCheck configured = new(DrillEnvironmentConfigured, true, $"The drill deploys through provider '{drill.Provider}' and probes the drill environment.");
        return plan with
        {
            Preconditions = [.. plan.Preconditions, configured],
            ProviderName = drill.Provider,
            SmokeProbes = RollbackPlanner.ToSpecs(drill.SmokeProbes),
            HealthChecks = RollbackPlanner.ToSpecs(drill.HealthChecks),
            RequireOperatorConfirmation = false,
        };
    }
}
