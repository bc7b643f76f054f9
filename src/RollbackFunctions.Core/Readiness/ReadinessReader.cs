using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Gate;
using RollbackFunctions.Storage;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Readiness;

/// <summary>
/// Reads the readiness of every configured component: the planner's dry run (so readiness never disagrees with a real
/// rollback), the gate, and the rollbacks' and drills' index. Reads only; components are read side by side, a bounded
/// number at a time, each with its reads in parallel.
/// </summary>
public sealed class ReadinessReader(
    IOptionsMonitor<RollbackOptions> options,
    RollbackPlanner planner,
    ComponentStateStore components,
    RollbackAuditStore audit,
    TimeProvider time)
{
    /// <summary>Components read at once: each makes four storage calls side by side.</summary>
    public const int Parallelism = 16;

    public async Task<ReadinessReport> ReadAllAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var names = current.Components.Keys.Order(StringComparer.Ordinal).ToArray();
        var results = new ComponentReadiness[names.Length];
        await Parallel.ForAsync(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ReadAsync(names[i], current.Components[names[i]], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return new ReadinessReport(time.GetUtcNow(), current.Budget.TotalSeconds, results.Count(r => r.Ready), results);
    }

    public async Task<ComponentReadiness> ReadAsync(string component, ComponentOptions config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var planTask = planner.PlanAsync(component, targetVersion: null, cancellationToken);
        var stateTask = components.GetAsync(component, cancellationToken);
        var rollbacksTask = audit.ListBriefsAsync(component, RecoverySummary.Window, cancellationToken);
        var drillsTask = audit.Drills.ListBriefsAsync(component, 1, cancellationToken);
        await Task.WhenAll(planTask, stateTask, rollbacksTask, drillsTask).ConfigureAwait(false);

        var plan = await planTask.ConfigureAwait(false);
        var rollbacks = await rollbacksTask.ConfigureAwait(false);
        var failing = plan.Accepted ? null : plan.Preconditions.FirstOrDefault(c => !c.Passed);
        return new ComponentReadiness(
            component,
            plan.Accepted,
            plan.CurrentVersion,
            plan.Accepted && plan.Target is { } target ? new ReadinessTarget(target.Version, target.Artifact, target.SchemaVersion) : null,
            failing is null ? null : new FailingPrecondition(failing.Name, failing.Reason),
            DeploymentGate.Evaluate(await stateTask.ConfigureAwait(false)).State!,
            LastRun.From(rollbacks.Count > 0 ? rollbacks[0] : null),
            RecoverySummary.Of(rollbacks),
            LastRun.From((await drillsTask.ConfigureAwait(false)) is [var drill, ..] ? drill : null),
            config.Drill is not null);
    }
}
