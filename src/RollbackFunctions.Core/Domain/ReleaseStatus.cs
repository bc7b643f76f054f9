namespace RollbackFunctions.Domain;

public enum ReleaseStatus
{
    /// <summary>Deployed, not yet verified: not a rollback target.</summary>
    Deployed,

    /// <summary>Passed verification: known healthy, a valid rollback target.</summary>
    Verified,

    /// <summary>Failed verification: never a rollback target.</summary>
    Failed,

    /// <summary>
    /// A rollback away from this version was pinned: it is known bad, never a target again and never Verified again
    /// (API.md "Trust rules"). Final: no later record moves it anywhere else.
    /// </summary>
    RolledBack,
}
