namespace RollbackFunctions.Workflow;

/// <summary>
/// The payload of the external event the abort route raises on the rollback's orchestration: an operator stops a
/// rollback in flight (API.md "Operator actions"). The orchestrator races it against its stages from the start.
/// </summary>
/// <param name="AbortedBy">The caller as the route identified it (see <c>Intake.CallerIdentity</c>).</param>
public sealed record OperatorAbort(string AbortedBy, string Reason, DateTimeOffset AbortedAt)
{
    /// <summary>The external event name the orchestrator waits for.</summary>
    public const string EventName = "OperatorAbort";
}
