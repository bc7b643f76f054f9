namespace RollbackFunctions.Intake;

/// <summary>A release to record, validated (<see cref="ReleaseBody"/>): from <c>POST /api/releases</c> or a <c>Rollback.Release.*</c> event.</summary>
public sealed record ReleaseSubmission(string Component, string Version, string Artifact, ReleaseStatus Status, string? SchemaVersion, string? Commit);
