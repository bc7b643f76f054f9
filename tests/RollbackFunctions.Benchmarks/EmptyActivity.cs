using Microsoft.DurableTask;

namespace RollbackFunctions.Benchmarks;

/// <summary>An activity with no work: one engine hop and nothing else.</summary>
internal sealed class EmptyActivity : TaskActivity<string, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, string input) => Task.FromResult(1);
}
