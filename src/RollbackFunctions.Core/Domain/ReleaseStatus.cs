namespace RollbackFunctions.Domain;

public enum ReleaseStatus
{
    /// <summary>Deployed, not yet verified: not a rollback target.</summary>
    Deployed,

    /// <summary>Passed verification: known healthy, a valid rollback target.</summary>
    Verified,

    /// <summary>Failed verification: never a rollback target.</summary>
    Failed,
}
