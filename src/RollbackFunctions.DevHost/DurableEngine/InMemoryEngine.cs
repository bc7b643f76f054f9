using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>
/// The in-memory orchestration service with the Azure Storage provider's concurrency (10 activities) instead of one
/// per processor: a rollback runs its audit writes beside its steps, and at 2 slots on a 2-core machine the sidecar's
/// dispatcher waits in 500 ms steps for a free one, which made each step cost half a second.
/// </summary>
internal sealed class InMemoryEngine(ILoggerFactory loggerFactory) : InMemoryOrchestrationService(loggerFactory), IOrchestrationService
{
    public const int Concurrency = 10;

    public new int MaxConcurrentTaskActivityWorkItems => Concurrency;

    public new int MaxConcurrentTaskOrchestrationWorkItems => Concurrency;
}
