using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>
/// The in-memory orchestration service with configured concurrency (<see cref="DurableEngineOptions.MaxConcurrentActivities"/>,
/// <see cref="DurableEngineOptions.MaxConcurrentOrchestrations"/>) instead of one work item per processor: at 2 slots on a
/// 2-core machine the sidecar's dispatcher waits in 500 ms steps for a free one, which made each step cost half a second.
/// </summary>
internal sealed class InMemoryEngine(ILoggerFactory loggerFactory, int maxConcurrentActivities, int maxConcurrentOrchestrations)
    : InMemoryOrchestrationService(loggerFactory), IOrchestrationService
{
    public new int MaxConcurrentTaskActivityWorkItems => maxConcurrentActivities;

    public new int MaxConcurrentTaskOrchestrationWorkItems => maxConcurrentOrchestrations;
}
