namespace RollbackFunctions.Domain;

/// <summary>Phases in order, then the ends. Every end but <see cref="Succeeded"/> escalates and freezes.</summary>
public enum RollbackPhase
{
    Received,
    Validated,
    Deploying,
    Verifying,
    AwaitingConfirmation,
    Succeeded,
    Rejected,
    Failed,
    TimedOut,
    Unconfirmed,

    /// <summary>An operator stopped it (<c>POST /api/rollbacks/{id}/abort</c>).</summary>
    Aborted,
}

public static class RollbackPhaseExtensions
{
    public static bool IsTerminal(this RollbackPhase phase) => phase >= RollbackPhase.Succeeded;

    public static bool RequiresEscalation(this RollbackPhase phase) => phase.IsTerminal() && phase != RollbackPhase.Succeeded;
}
