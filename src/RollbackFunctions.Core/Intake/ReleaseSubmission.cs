using System.Text.Json;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

/// <summary>A release a pipeline reports: the body of <c>POST /api/releases</c> and the data of <c>Rollback.Release.*</c> events.</summary>
public sealed record ReleaseSubmission(string Component, string Version, string Artifact, ReleaseStatus Status, string? SchemaVersion, string? Commit)
{
    /// <param name="statusFromEventType">An event's type fixes the status; a <c>status</c> in its data must then agree.</param>
    public static ReleaseSubmission? Parse(JsonElement obj, string prefix, ReleaseStatus? statusFromEventType, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.Length == 0 ? "body" : prefix, "must be a JSON object.");
            return null;
        }

        var component = JsonFields.Text(obj, "component", prefix, TextRule.ComponentName, required: true, errors);
        var version = JsonFields.Text(obj, "version", prefix, TextRule.Version, required: true, errors);
        var artifact = JsonFields.Text(obj, "artifact", prefix, TextRule.Reference, required: true, errors);
        if (artifact is not null && !ArtifactReference.IsImmutable(artifact))
        {
            // Section 2: only an immutable artifact can be a release, so the ledger never holds a movable tag.
            errors.Add(JsonFields.Path(prefix, "artifact"), "must be pinned by digest: an image as registry/repo@sha256:<64 lowercase hex>, a package as name@version#sha256:<64 hex> (or sha512:<128 hex>).");
        }

        var status = JsonFields.Enum<ReleaseStatus>(obj, "status", prefix, required: statusFromEventType is null, errors);
        if (statusFromEventType is { } fixedStatus && status is { } stated && stated != fixedStatus)
        {
            errors.Add(JsonFields.Path(prefix, "status"), $"must be {fixedStatus} (the event type says so) or left out.");
        }

        var schemaVersion = JsonFields.Text(obj, "schemaVersion", prefix, TextRule.Version, required: false, errors);
        var commit = JsonFields.Text(obj, "commit", prefix, TextRule.Version, required: false, errors);
        return errors.Count == before
            ? new ReleaseSubmission(component!, version!, artifact!, statusFromEventType ?? status!.Value, schemaVersion, commit)
            : null;
    }
}
