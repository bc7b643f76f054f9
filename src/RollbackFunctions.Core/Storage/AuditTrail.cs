namespace RollbackFunctions.Storage;

/// <summary>Which audit a record belongs to: a rollback's, or a drill's (same shape, its own tables).</summary>
public enum AuditTrail
{
    Rollbacks,
    Drills,
}
