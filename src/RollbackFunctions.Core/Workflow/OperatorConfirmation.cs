namespace RollbackFunctions.Workflow;

/// <summary>
/// The payload of the external event the confirm route raises on the rollback's orchestration (section 8: operators
/// must confirm restored availability).
/// </summary>
public sealed record OperatorConfirmation(string Operator, string? Note, DateTimeOffset ConfirmedAt)
{
    /// <summary>The external event name the orchestrator waits for.</summary>
    public const string EventName = "OperatorConfirmation";
}
