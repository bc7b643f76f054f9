namespace RollbackFunctions.Domain;

/// <summary>What the app knows of one component now: versions, the one active rollback, the freeze.</summary>
/// <param name="ActiveScheduledAt">When the active rollback's orchestration was scheduled; null while it is only
/// claimed. A trigger joins only a scheduled claim: an unscheduled one may have been left by a crash.</param>
/// <param name="ActiveRequest">The active rollback's orchestration input, kept on the claim so the reconciler can end a
/// rollback whose orchestration never came to be with its trigger, target and deadline.</param>
public sealed record ComponentState(
    string Component,
    string? CurrentVersion,
    string? LastKnownGoodVersion,
    string? ActiveRollbackId,
    DateTimeOffset? ActiveSince,
    ComponentFreeze? Freeze,
    ComponentUnfreeze? LastUnfreeze,
    DateTimeOffset? ActiveScheduledAt = null,
    RollbackRequest? ActiveRequest = null)
{
    public static ComponentState Empty(string component) => new(component, null, null, null, null, null, null);

    public bool IsFrozen => Freeze is not null;
}

/// <summary>Why a component is frozen (section 11): set by a failed rollback, lifted only by an operator.</summary>
public sealed record ComponentFreeze(string Reason, string? RollbackId, DateTimeOffset FrozenAt);

/// <summary>The operator's record that the failure was analysed.</summary>
/// <param name="Operator">The authenticated caller who lifted the freeze (a key's name, or the token's name).</param>
/// <param name="OperatorObjectId">Its Entra ID object id; null for a key.</param>
public sealed record ComponentUnfreeze(string Operator, string IncidentRef, string Analysis, DateTimeOffset UnfrozenAt, string? RollbackId, string? OperatorObjectId = null);
