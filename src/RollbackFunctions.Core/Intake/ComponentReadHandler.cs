using RollbackFunctions.Gate;
using RollbackFunctions.Trust;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Intake;

/// <summary><c>GET /api/components/{component}</c> and its dry-run <c>rollback-plan</c>.</summary>
public sealed class ComponentReadHandler(
    ComponentStateStore components,
    RollbackReadHandler rollbacks,
    RollbackPlanner planner,
    ReleaseLedger ledger,
    RefusedTriggerLog refusedTriggers,
    TriggerAdmissionGate admission,
    IOptionsMonitor<RollbackOptions> options)
{
    public async Task<IResult> GetAsync(string component, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Configured(component, out var problem) is not { } config)
        {
            return problem!;
        }

        var view = await ViewAsync(component, config, client, cancellationToken).ConfigureAwait(false);
        return IntakeJson.Result(view);
    }

    /// <summary>
    /// The dry run: the target a rollback would choose now and each precondition (<c>TargetNotRolledBack</c> among
    /// them), plus the versions that are RolledBack and so never a target; reads only.
    /// </summary>
    public async Task<IResult> PlanAsync(string component, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Configured(component, out var problem) is null)
        {
            return problem!;
        }

        string? targetVersion = null;
        if (request.Query.TryGetValue("targetVersion", out var targets))
        {
            targetVersion = targets.Count == 1 ? targets[0] : null;
            if ((targets.Count != 1 ? "must be given once." : TextRules.CheckVersionName(targetVersion)) is { } invalid)
            {
                return Problems.Validation("The targetVersion query parameter is invalid.", new Dictionary<string, string[]> { ["targetVersion"] = [invalid] });
            }
        }

        var plan = await planner.PlanAsync(component, targetVersion, cancellationToken).ConfigureAwait(false);
        var releases = await ledger.ListAsync(component!, cancellationToken).ConfigureAwait(false);

        // The plan's own fields stay as they are (the workflow pins the same record, probe addresses shown redacted); the
        // known-bad versions are added.
        var answer = JsonSerializer.SerializeToNode(plan.Shown(), IntakeJson.Options)!.AsObject();
        answer["rolledBackVersions"] = JsonSerializer.SerializeToNode(RolledBackVersionView.From(releases), IntakeJson.Options);
        return IntakeJson.Result(answer);
    }

    /// <summary>The component now; the active rollback's phase is the status route's (the audit, overlaid with the orchestration's live phase).</summary>
    public async Task<ComponentView> ViewAsync(string component, ComponentOptions config, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var state = await components.GetAsync(component, cancellationToken).ConfigureAwait(false);
        var phase = state.ActiveRollbackId is { } id ? await rollbacks.FindPhaseAsync(id, client, cancellationToken).ConfigureAwait(false) : null;
        var releases = await ledger.ListAsync(component, cancellationToken).ConfigureAwait(false);
        var gate = DeploymentGate.Evaluate(state).State!;
        var refused = await refusedTriggers.ListAsync(component, RefusedTriggerLog.Shown, cancellationToken).ConfigureAwait(false);
        var cooldown = await admission.CooldownAsync(component, cancellationToken).ConfigureAwait(false);
        return ComponentView.From(state, config, phase) with
        {
            Gate = new ComponentGateView(gate.Open, gate.Reason),
            RolledBackVersions = RolledBackVersionView.From(releases),
            DeployedWhileGateClosed = releases.Any(r => r.Version == state.CurrentVersion && r.DeployedWhileGateClosed),
            GateClosedDeployments = GateClosedDeploymentView.From(releases),
            RefusedTriggers = [.. refused.Select(RefusedTriggerView.From)],
            Cooldown = cooldown,
        };
    }

    /// <summary>The component's options when the path names a configured component; otherwise the problem to answer (400 or 422).</summary>
    public ComponentOptions? Configured(string? component, out IResult? problem)
    {
        if (TextRules.CheckComponentName(component) is { } invalid)
        {
            problem = Problems.Validation("The component name in the path is invalid.", new Dictionary<string, string[]> { ["component"] = [invalid] });
            return null;
        }

        var config = options.CurrentValue.FindComponent(component!);
        problem = config is null ? Problems.UnknownComponent(component!, "component") : null;
        return config;
    }
}
