namespace RollbackFunctions.Workflow;

/// <summary>
/// The payload of the external event the confirm route raises on the rollback's orchestration (section 8: operators
/// must confirm restored availability).
/// </summary>
/// <param name="Operator">The authenticated caller's name (a key's name, or the token's name).</param>
/// <param name="OperatorObjectId">Its Entra ID object id; null for a key.</param>
public sealed record OperatorConfirmation(string Operator, string? Note, DateTimeOffset ConfirmedAt, string? OperatorObjectId = null)
{
    /// <summary>The external event name the orchestrator waits for.</summary>
    public const string EventName = "OperatorConfirmation";
}
