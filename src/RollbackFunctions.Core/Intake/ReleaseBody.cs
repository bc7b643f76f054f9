using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>A release a pipeline reports: the body of <c>POST /api/releases</c> and the data of <c>Rollback.Release.*</c> events.</summary>
/// <param name="Status">A <see cref="ReleaseStatus"/> by name; required on the route, fixed by the type of an event.</param>
public sealed record ReleaseBody(string Component, string Version, string Artifact, string? Status = null, string? SchemaVersion = null, string? Commit = null)
{
    /// <summary>
    /// The statuses a pipeline may record. <see cref="ReleaseStatus.RolledBack"/> is not one: only a rollback sets it
    /// (API.md "Trust rules"), so a pipeline cannot mark a version known bad, or pretend one is not.
    /// </summary>
    public static IReadOnlyList<ReleaseStatus> RecordableStatuses { get; } = [.. Enum.GetValues<ReleaseStatus>().Where(s => s != ReleaseStatus.RolledBack)];

    private static readonly string RecordableNames = string.Join(", ", RecordableStatuses);

    /// <summary>The recordable status named exactly <paramref name="name"/>, or null.</summary>
    public static ReleaseStatus? RecordableStatus(string? name) =>
        TextRules.NameOf<ReleaseStatus>(name) is { } status && RecordableStatuses.Contains(status) ? status : null;

    /// <param name="statusFromEventType">An event's type fixes the status; a <c>status</c> in its data must then agree (checked by <see cref="EventValidator"/>).</param>
    public ReleaseSubmission ToSubmission(ReleaseStatus? statusFromEventType = null) =>
        new(Component, Version, Artifact, statusFromEventType ?? TextRules.ParseName<ReleaseStatus>(Status), SchemaVersion, Commit);

    /// <summary>The rules of every release, wherever it comes from.</summary>
    public abstract class Rules : IntakeValidator<ReleaseBody>
    {
        protected Rules()
        {
            RuleFor(x => x.Component).ComponentName();
            RuleFor(x => x.Version).VersionName();
            RuleFor(x => x.Artifact).Reference()
                // Section 2: only an immutable artifact can be a release, so the ledger never holds a movable tag.
                .Must(ArtifactReference.IsImmutable)
                .WithMessage("must be pinned by digest: an image as registry/repo@sha256:<64 lowercase hex>, a package as name@version#sha256:<64 hex> (or sha512:<128 hex>).");
            RuleFor(x => x.Status)
                .Must(status => status is null || RecordableStatus(status) is not null)
                .WithMessage(status => status.Status == nameof(ReleaseStatus.RolledBack)
                    ? $"cannot be {nameof(ReleaseStatus.RolledBack)}: only a rollback marks a version rolled back. One of {RecordableNames}."
                    : $"must be one of {RecordableNames}.");
            RuleFor(x => x.SchemaVersion).VersionName();
            RuleFor(x => x.Commit).VersionName();
        }
    }

    /// <summary><c>POST /api/releases</c>: the status is required.</summary>
    public sealed class Validator : Rules
    {
        public Validator() => RuleFor(x => x.Status).NotNull().WithMessage($"is required: one of {RecordableNames}.");
    }

    /// <summary>A <c>Rollback.Release.{Status}</c> event: a status in the data, if any, must be the type's.</summary>
    public sealed class EventValidator : Rules
    {
        public EventValidator(ReleaseStatus statusFromEventType) =>
            RuleFor(x => x.Status)
                .Must(status => status is null || status == statusFromEventType.ToString())
                .WithMessage($"must be {statusFromEventType} (the event type says so) or left out.");
    }
}
