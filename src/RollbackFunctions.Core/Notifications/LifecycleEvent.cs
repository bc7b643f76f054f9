namespace RollbackFunctions.Notifications;

/// <summary>The lifecycle events a notification channel may subscribe to (API.md "Notifications").</summary>
public enum LifecycleEvent
{
    /// <summary>A rollback started (sent by the starter once the orchestration is scheduled).</summary>
    Started,

    /// <summary>Verification passed and the workflow waits for an operator (with the confirm link and the window's end).</summary>
    AwaitingConfirmation,

    /// <summary>A rollback ended, with its outcome and R.</summary>
    Ended,

    /// <summary>A rollback that did not succeed was escalated to the incident webhook.</summary>
    Escalated,

    /// <summary>A trigger carried evidence about an older version and started nothing.</summary>
    Stale,

    /// <summary>A trigger arrived in the cooldown after a success and started nothing.</summary>
    Cooldown,

    /// <summary>A component stopped being ready for a rollback (the readiness check).</summary>
    ReadinessLost,

    /// <summary>A rollback drill ended.</summary>
    DrillEnded,
}
