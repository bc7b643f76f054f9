using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask.Testing.Sidecar;

namespace RollbackFunctions.DevHost.DurableEngine;

/// <summary>
/// The in-memory orchestration service with configured concurrency (<see cref="DurableEngineOptions.MaxConcurrentActivities"/>,
/// <see cref="DurableEngineOptions.MaxConcurrentOrchestrations"/>) instead of one work item per processor: at 2 slots on a
/// 2-core machine the sidecar's dispatcher waits in 500 ms steps for a free one, which made each step cost half a second.
/// With <paramref name="timersFireEarlyBy"/> it delivers durable timers early the way the Azure Storage engine can
/// (<see cref="DurableEngineOptions.InMemoryTimersFireEarlyBy"/>), so the workflow's re-arming is tested on a real engine.
/// </summary>
internal sealed class InMemoryEngine(ILoggerFactory loggerFactory, int maxConcurrentActivities, int maxConcurrentOrchestrations, TimeSpan timersFireEarlyBy = default)
    : InMemoryOrchestrationService(loggerFactory), IOrchestrationService
{
    public new int MaxConcurrentTaskActivityWorkItems => maxConcurrentActivities;

    public new int MaxConcurrentTaskOrchestrationWorkItems => maxConcurrentOrchestrations;

    public new Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        if (timersFireEarlyBy > TimeSpan.Zero)
        {
            // Only a timer due well after now fires early (Azure Storage's early firing is a fraction of a long wait); a
            // re-armed timer for the short rest then fires on time, as it does there.
            var now = DateTime.UtcNow;
            foreach (var timer in timerMessages.Select(m => m.Event).OfType<TimerFiredEvent>().Where(t => t.FireAt - now > 2 * timersFireEarlyBy))
            {
                timer.FireAt -= timersFireEarlyBy;
            }
        }

        return base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }
}
