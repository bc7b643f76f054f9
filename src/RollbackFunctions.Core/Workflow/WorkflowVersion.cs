using Microsoft.DurableTask.Worker;

namespace RollbackFunctions.Workflow;

/// <summary>
/// The version of the rollback orchestration's logic (README, "Versions of the workflow"). Every orchestration is
/// stamped with the version of the build that started it, and the orchestrator is registered under each version whose
/// logic this build still holds. A worker runs an orchestration of its own or an older version it still holds; one it
/// does not hold (a version the code dropped, or one newer than the worker) is ended <c>Failed</c> by the engine, never
/// replayed on other logic, and the reconciler then ends its claim Failed with freeze and escalation.
/// </summary>
public static class WorkflowVersion
{
    /// <summary>
    /// The orchestrator that races an operator's abort and sends lifecycle notifications (plan, pin, deploy, verify,
    /// confirm, end). Bump it with any change to the orchestration's steps.
    /// </summary>
    public const string Current = "3";

    /// <summary>Versions whose logic this build still runs, besides <see cref="Current"/>: none; "1" (pre-rebuild) and "2" (no abort, no notifications) were dropped.</summary>
    public static IReadOnlyList<string> Kept { get; } = [];

    /// <summary>
    /// The engine's versioning for a build labelled <paramref name="version"/>: orchestrations of that version or older
    /// are accepted (an older one runs only if its logic is registered), a newer one fails in the engine (so the
    /// reconciler ends it) rather than being left to wait for a worker that may never come.
    /// </summary>
    public static DurableTaskWorkerOptions.VersioningOptions Versioning(string version) => new()
    {
        Version = version,
        DefaultVersion = version,
        MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
        FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Fail,
    };

    /// <summary>Whether this build runs an orchestration stamped <paramref name="version"/> (the Functions wrapper's check).</summary>
    public static bool IsRunnable(string? version) =>
        string.Equals(version, Current, StringComparison.Ordinal) || Kept.Contains(version ?? "", StringComparer.Ordinal);

    /// <summary>
    /// Applies the versioning to the default Durable Task worker and client in <paramref name="services"/>, whichever
    /// engine they run on (the builders are shared by name, so this composes with the host's own engine wiring): the
    /// worker's <see cref="Versioning"/>, the client's default version for new orchestrations, and, for a build labelled
    /// other than <see cref="Current"/> (a test standing in for a later build that kept this logic), the orchestrator
    /// under that label too.
    /// </summary>
    public static IServiceCollection AddRollbackWorkflowVersioning(this IServiceCollection services, string version = Current)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseVersioning(Versioning(version));
            if (!IsRunnable(version))
            {
                worker.AddTasks(registry => registry.AddRollbackOrchestrator(version));
            }
        });
        services.AddDurableTaskClient(client => client.UseDefaultVersion(version));
        return services;
    }
}
