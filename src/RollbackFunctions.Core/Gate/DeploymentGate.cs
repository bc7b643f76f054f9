namespace RollbackFunctions.Gate;

/// <summary>
/// Whether a pipeline may deploy a component now (section 11: while a rollback runs or after one failed, "no further
/// changes are applied"). A read model over the component's state: it never writes, so any number of pipelines may ask.
/// </summary>
public sealed class DeploymentGate(IOptionsMonitor<RollbackOptions> options, ComponentStateStore components)
{
    public async Task<GateEvaluation> EvaluateAsync(string component, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (!ComponentNames.IsValidComponent(component) || options.CurrentValue.FindComponent(component) is null)
        {
            return new GateEvaluation(GateOutcome.UnknownComponent, null,
                $"Component '{component}' is not configured under Rollback:Components: there is no gate for it. Check the component name the pipeline sends.");
        }

        var state = await components.GetAsync(component, cancellationToken).ConfigureAwait(false);
        return Evaluate(state);
    }

    /// <summary>The gate for a state already read (the component view and readiness show it next to the rest).</summary>
    public static GateEvaluation Evaluate(ComponentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var reasons = new List<string>(2);
        if (state.Freeze is { } freeze)
        {
            reasons.Add($"Frozen since {freeze.FrozenAt:O}"
                + (freeze.RollbackId is null ? "" : $" after rollback {freeze.RollbackId}")
                + $" ({freeze.Reason}). An operator unfreezes it with POST /api/components/{state.Component}/unfreeze, giving an incident reference and the analysis (section 11).");
        }

        if (state.ActiveRollbackId is { } active)
        {
            reasons.Add($"Rollback {active} is in progress" + (state.ActiveSince is { } since ? $" since {since:O}" : "")
                + $"; deploy after it ends (GET /api/rollbacks/{active}).");
        }

        if (reasons.Count == 0)
        {
            var gate = new GateState(state.Component, true, "No rollback is active and the component is not frozen: deployments may proceed.", null, null);
            return new GateEvaluation(GateOutcome.Open, gate, gate.Reason);
        }

        var closed = new GateState(state.Component, false, "Closed. " + string.Join(" ", reasons), state.ActiveRollbackId, state.Freeze?.FrozenAt);
        return new GateEvaluation(GateOutcome.Closed, closed, closed.Reason);
    }
}
