using RollbackFunctions.Gate;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Readiness;

/// <summary>
/// Reads the readiness of every configured component: the planner's rules (<see cref="RollbackPlanner.Evaluate"/>, so
/// readiness never disagrees with the dry run or a real rollback), the gate over the same state, and the rollbacks' and
/// drills' index. Reads only: every component's state in one query, then per component its ledger and its index rows
/// side by side, a bounded number of components at a time.
/// </summary>
public sealed class ReadinessReader(
    IOptionsMonitor<RollbackOptions> options,
    ComponentStateStore components,
    ReleaseLedger ledger,
    RollbackAuditStore audit,
    Observability.RollbackMetrics metrics,
    TimeProvider time)
{
    /// <summary>Components read at once: each makes two or three storage calls side by side.</summary>
    public const int Parallelism = 16;

    public async Task<ReadinessReport> ReadAllAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var names = current.Components.Keys.Order(StringComparer.Ordinal).ToArray();
        var states = await components.ListAllAsync(cancellationToken).ConfigureAwait(false);
        var results = new ComponentReadiness[names.Length];
        await Parallel.ForAsync(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ReadAsync(
                names[i], current.Components[names[i]], states.GetValueOrDefault(names[i]) ?? ComponentState.Empty(names[i]), ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var result in results)
        {
            metrics.ReadinessObserved(result.Component, result.Ready);
        }

        return new ReadinessReport(time.GetUtcNow(), current.Budget.TotalSeconds, results.Count(r => r.Ready), results);
    }

    /// <summary>One component's readiness, over a state already read.</summary>
    public async Task<ComponentReadiness> ReadAsync(string component, ComponentOptions config, ComponentState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var releasesTask = ledger.ListAsync(component, cancellationToken);
        var rollbacksTask = audit.ListBriefsAsync(component, RecoverySummary.Window, cancellationToken);

        // Only a component with a drill environment can have drills: no read for the others.
        var drillsTask = config.Drill is null ? Task.FromResult<IReadOnlyList<RollbackBrief>>([]) : audit.Drills.ListBriefsAsync(component, 1, cancellationToken);
        await Task.WhenAll(releasesTask, rollbacksTask, drillsTask).ConfigureAwait(false);

        var plan = RollbackPlanner.Evaluate(component, config, state, await releasesTask.ConfigureAwait(false), targetVersion: null, rollbackId: null);
        var rollbacks = await rollbacksTask.ConfigureAwait(false);
        var failing = plan.Accepted ? null : plan.Preconditions.FirstOrDefault(c => !c.Passed);
        return new ComponentReadiness(
            component,
            plan.Accepted,
            plan.CurrentVersion,
            plan.Accepted && plan.Target is { } target ? new ReadinessTarget(target.Version, target.Artifact, target.SchemaVersion) : null,
            failing is null ? null : new FailingPrecondition(failing.Name, failing.Reason),
            DeploymentGate.Evaluate(state).State!,
            LastRun.From(rollbacks.Count > 0 ? rollbacks[0] : null),
            RecoverySummary.Of(rollbacks),
            LastRun.From((await drillsTask.ConfigureAwait(false)) is [var drill, ..] ? drill : null),
            config.Drill is not null);
    }
}
