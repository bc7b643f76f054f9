namespace RollbackFunctions.Workflow.Stages;

/// <summary>What a stage of the race came to.</summary>
/// <param name="OutOfTime">A call failed only because the deadline passed: the budget timer decides (TimedOut).</param>
internal sealed record StageVerdict(bool Passed, string Reason, bool OutOfTime = false)
{
    public static readonly StageVerdict Pass = new(true, "passed");
}
