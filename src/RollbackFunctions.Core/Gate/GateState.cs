namespace RollbackFunctions.Gate;

/// <summary>The answer of <c>GET /api/components/{component}/gate</c> (API.md "The deployment gate").</summary>
/// <param name="Reason">What a person can do about it: wait for the rollback, or unfreeze after analysis.</param>
/// <param name="ActiveRollbackId">The rollback in flight that closes the gate, if any.</param>
/// <param name="FrozenSince">When the component was frozen, if it is.</param>
public sealed record GateState(string Component, bool Open, string Reason, string? ActiveRollbackId, DateTimeOffset? FrozenSince);
