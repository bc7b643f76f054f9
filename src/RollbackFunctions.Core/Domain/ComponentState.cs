namespace RollbackFunctions.Domain;

/// <summary>What the app knows of one component now: versions, the one active rollback, the freeze.</summary>
public sealed record ComponentState(
    string Component,
    string? CurrentVersion,
    string? LastKnownGoodVersion,
    string? ActiveRollbackId,
    DateTimeOffset? ActiveSince,
    ComponentFreeze? Freeze,
    ComponentUnfreeze? LastUnfreeze)
{
    public static ComponentState Empty(string component) => new(component, null, null, null, null, null, null);

    public bool IsFrozen => Freeze is not null;
}

/// <summary>Why a component is frozen (section 11): set by a failed rollback, lifted only by an operator.</summary>
public sealed record ComponentFreeze(string Reason, string? RollbackId, DateTimeOffset FrozenAt);

/// <summary>The operator's record that the failure was analysed.</summary>
public sealed record ComponentUnfreeze(string Operator, string IncidentRef, string Analysis, DateTimeOffset UnfrozenAt, string? RollbackId);
