namespace RollbackFunctions.Domain;

/// <summary>Who asked for the rollback; with the trigger's own id it forms the idempotency key.</summary>
public enum TriggerSource
{
    AzureMonitorAlert,
    EventGrid,
    Pipeline,
}
