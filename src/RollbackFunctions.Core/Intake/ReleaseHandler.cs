using FluentValidation;
using RollbackFunctions.Gate;
using RollbackFunctions.Incidents;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Intake;

/// <summary><c>POST /api/releases</c> and <c>GET /api/releases/{component}</c>: the release ledger a rollback chooses its target from.</summary>
public sealed class ReleaseHandler(
    ReleaseLedger ledger,
    IValidator<ReleaseBody> validator,
    ComponentStateStore components,
    IOptionsMonitor<RollbackOptions> options,
    IncidentNotifier incidents,
    TimeProvider time,
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

        var (outcome, record, escalationFailed) = await ApplyAsync(release, cancellationToken).ConfigureAwait(false);
        if (escalationFailed is not null)
        {
            return escalationFailed;
        }

        return outcome switch
        {
            ReleaseWriteOutcome.Created => IntakeJson.Result(ReleaseView.From(record, outcome), StatusCodes.Status201Created, LedgerUri(release.Component)),
            ReleaseWriteOutcome.Updated or ReleaseWriteOutcome.Unchanged => IntakeJson.Result(ReleaseView.From(record, outcome)),
            ReleaseWriteOutcome.ArtifactConflict => Problems.Conflict(
                $"Version {release.Version} of {release.Component} is already recorded with another artifact: versions are immutable, so publish the new build as a new version.",
                $"Recorded artifact: {record.Artifact}" + (record.SchemaVersion is null ? "" : $", schema {record.SchemaVersion}") + "."),
            ReleaseWriteOutcome.RolledBackConflict => RolledBackConflict($"Version {release.Version} of {release.Component} cannot become {release.Status}", record),
            ReleaseWriteOutcome.StatusNotRecordable => Problems.Validation(
                "The release is missing fields or has invalid ones: see 'errors'.",
                new Dictionary<string, string[]> { ["status"] = [$"cannot be {nameof(ReleaseStatus.RolledBack)}: only a rollback marks a version rolled back."] }),
            _ => Problems.Conflict(
                $"Version {release.Version} of {release.Component} is recorded as {record.Status} and cannot become {release.Status}: a failed release stays failed; publish a new version.",
                null),
        };
    }

    /// <summary>
    /// Records in the ledger, then the component's current version; both are idempotent, so a retry after a failure in
    /// between completes it. A Deployed record while the component's gate is closed is recorded all the same (it is
    /// what runs), flagged, and escalated once (docs/adr/0004-deployment-gate.md).
    /// </summary>
    /// <returns>The ledger's outcome and record; <c>EscalationFailed</c> is the 503 to answer when the release was
    /// recorded but its escalation could not be delivered (the sender's retry delivers it).</returns>
    public async Task<ReleaseApplied> ApplyAsync(ReleaseSubmission release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);

        // The gate as the deployment found it: read before this record changes anything.
        var gate = release.Status == ReleaseStatus.Deployed
            ? DeploymentGate.Evaluate(await components.GetAsync(release.Component, cancellationToken).ConfigureAwait(false)).State
            : null;
        var written = await ledger.RecordAsync(release.Component, release.Version, release.Artifact, release.Status, release.SchemaVersion, release.Commit, cancellationToken).ConfigureAwait(false);
        var recorded = written.Outcome is ReleaseWriteOutcome.Created or ReleaseWriteOutcome.Updated or ReleaseWriteOutcome.Unchanged;
        if (recorded && release.Status is ReleaseStatus.Deployed or ReleaseStatus.Verified)
        {
            await components.RecordDeployedVersionAsync(release.Component, release.Version, written.Release.Status == ReleaseStatus.Verified, cancellationToken).ConfigureAwait(false);
        }

        IntakeLog.ReleaseRecorded(logger, release.Component, release.Version, release.Status.ToString(), written.Outcome.ToString());
        var record = written.Release;
        if (recorded && gate is { Open: false } && !record.DeployedWhileGateClosed)
        {
            record = await ledger.FlagDeployedWhileGateClosedAsync(release.Component, release.Version, gate.Reason, cancellationToken).ConfigureAwait(false) ?? record;
        }

        var escalationFailed = recorded && record is { DeployedWhileGateClosed: true, GateClosedEscalatedAt: null }
            ? await EscalateGateClosedDeploymentAsync(record, gate, cancellationToken).ConfigureAwait(false)
            : null;
        return new ReleaseApplied(written.Outcome, record, escalationFailed);
    }

    /// <summary>
    /// Once per version: the marker is written only after the delivery, so a failed one is retried by the sender's
    /// retry, and the Idempotency-Key lets the receiver drop the repeat of a delivery whose marker was lost.
    /// </summary>
    private async Task<IResult?> EscalateGateClosedDeploymentAsync(ReleaseRecord record, GateState? gate, CancellationToken cancellationToken)
    {
        var closedBy = gate?.ActiveRollbackId ?? (gate?.FrozenSince is not null ? "frozen" : "gate closed");
        var now = time.GetUtcNow();
        var incident = new IncidentReport(
            GateClosedIncidentId(record.Component, record.Version),
            record.Component,
            RollbackPhase.Failed,
            $"A deployment landed on {record.Component} while its deployment gate was closed: version {record.Version} ({record.Artifact}) was recorded Deployed. "
                + $"The gate was closed because: {record.GateClosedReason} The version is recorded as current (it is what runs); the freeze or the active rollback stays. "
                + "Find out which pipeline deployed past the gate (section 11: no further changes are applied) and decide with the incident analysis.",
            null,
            record.Version,
            record.RecordedAt,
            now);
        var delivery = await incidents.DeliverAsync(incident, cancellationToken).ConfigureAwait(false);
        if (delivery.Delivered)
        {
            await ledger.MarkGateClosedEscalatedAsync(record.Component, record.Version, cancellationToken).ConfigureAwait(false);
            GateLog.GateClosedDeploymentEscalated(logger, record.Component, record.Version, closedBy);
            return null;
        }

        GateLog.GateClosedDeploymentNotEscalated(logger, record.Component, record.Version, delivery.Error ?? "unknown");
        return delivery.NotConfigured
            ? null
            : DependencyFailures.ToResult(new DependencyFailure(
                "the incident webhook",
                StatusCodes.Status503ServiceUnavailable,
                $"Version {record.Version} of {record.Component} was recorded, but its escalation (deployed while the gate was closed) could not be delivered: {delivery.Error} Send the release again in {DependencyFailures.RetryAfterSeconds} seconds; nothing is recorded twice."));
    }

    /// <summary>The incident's key: one per component and version, never a rollback's id (a receiver drops repeats by it).</summary>
    public static string GateClosedIncidentId(string component, string version) => $"gate-closed-{component}-{version}";

    /// <summary>The 409 for a Verified claim about a version a rollback rolled back: which rollback, and when.</summary>
    /// <param name="refused">What was refused, for the title.</param>
    public static IResult RolledBackConflict(string refused, ReleaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Problems.Conflict(
            $"{refused}: rollback {record.RolledBackBy} rolled it back" + (record.RolledBackAt is { } at ? $" at {at:O}" : "")
                + ", so it is known bad (API.md \"Trust rules\"). Publish a fixed build as a new version.",
            $"GET /api/rollbacks/{record.RolledBackBy} says why it was rolled back.",
            new Dictionary<string, object?> { ["rolledBackBy"] = record.RolledBackBy, ["rolledBackAt"] = record.RolledBackAt });
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
    ReleaseWriteOutcome? Outcome,
    string? RolledBackBy = null,
    DateTimeOffset? RolledBackAt = null,
    bool DeployedWhileGateClosed = false,
    string? GateClosedReason = null)
{
    public static ReleaseView From(ReleaseRecord r, ReleaseWriteOutcome? outcome)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Component, r.Version, r.Artifact, r.Status, r.SchemaVersion, r.Commit, r.RecordedAt, r.UpdatedAt, outcome,
            r.RolledBackBy, r.RolledBackAt, r.DeployedWhileGateClosed, r.GateClosedReason);
    }
}

/// <summary>What <see cref="ReleaseHandler.ApplyAsync"/> did.</summary>
/// <param name="EscalationFailed">The answer when the release was recorded but its gate-closed escalation was not delivered.</param>
public sealed record ReleaseApplied(ReleaseWriteOutcome Outcome, ReleaseRecord Release, IResult? EscalationFailed);

/// <summary>The ledger of one component, newest first.</summary>
public sealed record ReleaseLedgerView(string Component, IReadOnlyList<ReleaseView> Releases);
