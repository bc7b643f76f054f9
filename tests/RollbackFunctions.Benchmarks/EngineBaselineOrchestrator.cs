using Microsoft.DurableTask;

namespace RollbackFunctions.Benchmarks;

/// <summary>
/// The raw engine's floor for the workflow benchmark: three activities that do nothing, one after another, as an
/// instant rollback runs its steps one after another. Its time is what the engine alone costs for three hops.
/// </summary>
internal sealed class EngineBaselineOrchestrator : TaskOrchestrator<string, int>
{
    public const int Activities = 3;

    public override async Task<int> RunAsync(TaskOrchestrationContext context, string input)
    {
        var done = 0;
        for (var i = 0; i < Activities; i++)
        {
            done += await context.CallActivityAsync<int>(nameof(EmptyActivity), input);
        }

        return done;
    }
}
