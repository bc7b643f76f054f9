namespace RollbackFunctions.Intake;

/// <summary>The answers start-or-join gives a trigger that joined or repeated a rollback, worded once for every path.</summary>
internal static class StartRollbackAnswers
{
    public static StartRollbackResult Joined(string component, string rollbackId) =>
        new(StartRollbackOutcome.Joined, rollbackId, $"Rollback {rollbackId} of '{component}' is already active; this trigger joined it.");

    public static StartRollbackResult Duplicate(RollbackTrigger trigger, string rollbackId) =>
        new(StartRollbackOutcome.Duplicate, rollbackId, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {rollbackId}.");
}
