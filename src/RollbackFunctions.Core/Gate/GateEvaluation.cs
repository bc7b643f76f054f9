namespace RollbackFunctions.Gate;

/// <summary>A gate evaluation: <see cref="State"/> for a configured component, else only the reason it is unknown.</summary>
public sealed record GateEvaluation(GateOutcome Outcome, GateState? State, string Reason)
{
    public bool IsKnown => Outcome != GateOutcome.UnknownComponent;
}
