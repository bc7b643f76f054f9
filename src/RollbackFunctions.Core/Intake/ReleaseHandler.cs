using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Intake;

/// <summary><c>POST /api/releases</c> and <c>GET /api/releases/{component}</c>: the release ledger a rollback chooses its target from.</summary>
public sealed class ReleaseHandler(
    ReleaseLedger ledger,
    IValidator<ReleaseBody> validator,
    ComponentStateStore components,
    IOptionsMonitor<RollbackOptions> options,
    ILogger<ReleaseHandler> logger)
{
    public async Task<IResult> RecordAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBody.ReadAsync(
            request, IntakeJsonContext.Default.ReleaseBody, validator, "The release is missing fields or has invalid ones: see 'errors'.", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var release = body.ToSubmission();
        if (options.CurrentValue.FindComponent(release.Component) is null)
        {
            return Problems.UnknownComponent(release.Component, "component");
        }

        var (outcome, record) = await ApplyAsync(release, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            ReleaseWriteOutcome.Created => IntakeJson.Result(ReleaseView.From(record, outcome), StatusCodes.Status201Created, LedgerUri(release.Component)),
            ReleaseWriteOutcome.Updated or ReleaseWriteOutcome.Unchanged => IntakeJson.Result(ReleaseView.From(record, outcome)),
            ReleaseWriteOutcome.ArtifactConflict => Problems.Conflict(
                $"Version {release.Version} of {release.Component} is already recorded with another artifact: versions are immutable, so publish the new build as a new version.",
                $"Recorded artifact: {record.Artifact}" + (record.SchemaVersion is null ? "" : $", schema {record.SchemaVersion}") + "."),
            _ => Problems.Conflict(
                $"Version {release.Version} of {release.Component} is recorded as {record.Status} and cannot become {release.Status}: a failed release stays failed; publish a new version.",
                null),
        };
    }

    /// <summary>Records in the ledger, then the component's current version; both are idempotent, so a retry after a failure in between completes it.</summary>
    public async Task<(ReleaseWriteOutcome Outcome, ReleaseRecord Release)> ApplyAsync(ReleaseSubmission release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var written = await ledger.RecordAsync(release.Component, release.Version, release.Artifact, release.Status, release.SchemaVersion, release.Commit, cancellationToken).ConfigureAwait(false);
        if (written.Outcome is ReleaseWriteOutcome.Created or ReleaseWriteOutcome.Updated or ReleaseWriteOutcome.Unchanged
            && release.Status is ReleaseStatus.Deployed or ReleaseStatus.Verified)
        {
            await components.RecordDeployedVersionAsync(release.Component, release.Version, written.Release.Status == ReleaseStatus.Verified, cancellationToken).ConfigureAwait(false);
        }

        IntakeLog.ReleaseRecorded(logger, release.Component, release.Version, release.Status.ToString(), written.Outcome.ToString());
        return (written.Outcome, written.Release);
    }

    public async Task<IResult> ListAsync(string component, CancellationToken cancellationToken)
    {
        if (TextRules.CheckComponentName(component) is { } invalid)
        {
            return Problems.Validation("The component name in the path is invalid.", new Dictionary<string, string[]> { ["component"] = [invalid] });
        }

        if (options.CurrentValue.FindComponent(component!) is null)
        {
            return Problems.UnknownComponent(component!, "component");
        }

        var releases = await ledger.ListAsync(component!, cancellationToken).ConfigureAwait(false);
        return IntakeJson.Result(new ReleaseLedgerView(component!, [.. releases.Select(r => ReleaseView.From(r, null))]));
    }

    public static string LedgerUri(string component) => "/api/releases/" + Uri.EscapeDataString(component);
}

public sealed record ReleaseView(
    string Component,
    string Version,
    string Artifact,
    ReleaseStatus Status,
    string? SchemaVersion,
    string? Commit,
    DateTimeOffset RecordedAt,
    DateTimeOffset UpdatedAt,
    ReleaseWriteOutcome? Outcome)
{
    public static ReleaseView From(ReleaseRecord r, ReleaseWriteOutcome? outcome)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Component, r.Version, r.Artifact, r.Status, r.SchemaVersion, r.Commit, r.RecordedAt, r.UpdatedAt, outcome);
    }
}

/// <summary>The ledger of one component, newest first.</summary>
public sealed record ReleaseLedgerView(string Component, IReadOnlyList<ReleaseView> Releases);
