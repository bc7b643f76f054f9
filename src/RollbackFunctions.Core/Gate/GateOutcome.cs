namespace RollbackFunctions.Gate;

public enum GateOutcome
{
    /// <summary>No rollback is active and the component is not frozen: a deployment may go ahead.</summary>
    Open,

    /// <summary>A rollback is active or the component is frozen (section 11: "no further changes are applied").</summary>
    Closed,

    /// <summary>The component is not configured under <c>Rollback:Components</c>: there is no gate to answer for.</summary>
    UnknownComponent,
}
