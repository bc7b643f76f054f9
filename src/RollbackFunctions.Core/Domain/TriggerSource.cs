namespace RollbackFunctions.Domain;

/// <summary>Who asked for the rollback; with the trigger's own id it forms the idempotency key.</summary>
public enum TriggerSource
{
    AzureMonitorAlert,
    EventGrid,
    Pipeline,

    /// <summary>A rollback drill (on request or on schedule): never a trigger of a real rollback, never parsed from input.</summary>
    Drill,
}
