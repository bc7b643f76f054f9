namespace RollbackFunctions.Domain;

/// <summary>One entry of a component's release ledger. Version and artifact never change once recorded.</summary>
/// <param name="Artifact">An immutable reference: a digest-pinned image (<c>repo@sha256:...</c>) or package.</param>
/// <param name="SchemaVersion">The persistent-data schema this release expects; a rollback across schemas would need a migration.</param>
/// <param name="RolledBackBy">The rollback whose pinned target moved away from this version (status <see cref="ReleaseStatus.RolledBack"/>).</param>
/// <param name="RolledBackAt">When that rollback marked it.</param>
/// <param name="DeployedWhileGateClosed">A pipeline recorded this version <see cref="ReleaseStatus.Deployed"/> while the
/// component's deployment gate was closed (a rollback active, or frozen): it landed against section 11's "no further
/// changes" and was escalated.</param>
/// <param name="GateClosedReason">Why the gate was closed when it landed.</param>
/// <param name="GateClosedEscalatedAt">When that escalation was delivered: the marker that keeps a redelivery or a retry
/// from escalating twice.</param>
public sealed record ReleaseRecord(
    string Component,
    string Version,
    string Artifact,
    ReleaseStatus Status,
    string? SchemaVersion,
    string? Commit,
    DateTimeOffset RecordedAt,
    DateTimeOffset UpdatedAt,
    string? RolledBackBy = null,
    DateTimeOffset? RolledBackAt = null,
    bool DeployedWhileGateClosed = false,
    string? GateClosedReason = null,
    DateTimeOffset? GateClosedEscalatedAt = null);
