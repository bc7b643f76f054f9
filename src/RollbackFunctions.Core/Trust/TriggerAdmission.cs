namespace RollbackFunctions.Trust;

/// <summary>How a trigger asks: automatically (alert, event: evidence with a time) or explicitly (a pipeline).</summary>
public enum TriggerKind
{
    Automatic,
    Pipeline,
}

public enum AdmissionOutcome
{
    /// <summary>The trigger may start or join a rollback.</summary>
    Admit,

    /// <summary>Its evidence predates the current version: recorded as Stale, starts nothing (<c>200 {outcome: "Stale"}</c>).</summary>
    Stale,

    /// <summary>A rollback succeeded within the cooldown and its version is still current: a late trigger of that rollback.</summary>
    Cooldown,
}

/// <summary>The last rollback of the component, as far as admission cares.</summary>
/// <param name="RestoredVersion">The version it deployed; for a rollback that did not succeed, its target or null (it is
/// current only when it ran: verified, then unconfirmed or aborted).</param>
public sealed record LastRollback(string RollbackId, bool Succeeded, DateTimeOffset EndedAt, string? RestoredVersion);

/// <param name="CurrentVersion">The component's current version, if known.</param>
/// <param name="CurrentDeployedAt">When the current version's <c>Deployed</c> record was written, if it was deployed by a pipeline.</param>
/// <param name="Evidence">When the trigger's evidence was observed (<c>firedDateTime</c>, the event's time); null when it carries none.</param>
public sealed record AdmissionInput(
    TriggerKind Kind,
    DateTimeOffset? Evidence,
    string? CurrentVersion,
    DateTimeOffset? CurrentDeployedAt,
    LastRollback? LastRollback,
    DateTimeOffset Now);

/// <param name="RollbackId">For <see cref="AdmissionOutcome.Cooldown"/>: the rollback the trigger is recorded on as late.</param>
/// <param name="CurrentSince">When the current version became current, as judged.</param>
public sealed record AdmissionDecision(AdmissionOutcome Outcome, string Reason, string? RollbackId = null, DateTimeOffset? CurrentSince = null);

/// <summary>
/// API.md "Trust rules": evidence must be about what runs now, and after a success the component settles. Pure: the
/// caller reads the component, the ledger and the last rollback; the same inputs always give the same decision.
/// </summary>
public static class TriggerAdmission
{
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultEvidenceSkew = TimeSpan.FromMinutes(2);

    public static AdmissionDecision Evaluate(AdmissionInput input, TimeSpan cooldown, TimeSpan evidenceSkew)
    {
        ArgumentNullException.ThrowIfNull(input);
        var last = input.LastRollback;

        // A rollback's target is current only if it runs: it succeeded, or it was verified and then not confirmed or
        // aborted (the component is then frozen). Either way that rollback's end is when it became current.
        var rolledBackToCurrent = last is { RestoredVersion: { } target }
            && string.Equals(target, input.CurrentVersion, StringComparison.Ordinal);
        var restoredIsCurrent = rolledBackToCurrent && last!.Succeeded;

        // The rollback that made the current version current, or the current version's deployment less the skew
        // (a pipeline records a release after it went live); whichever is later is when "now" began.
        DateTimeOffset? currentSince = input.CurrentDeployedAt is { } deployed ? deployed - evidenceSkew : null;
        if (rolledBackToCurrent && (currentSince is null || last!.EndedAt > currentSince))
        {
            currentSince = last!.EndedAt;
        }

        if (input.Kind == TriggerKind.Automatic && input.Evidence is { } evidence && currentSince is { } since && evidence < since)
        {
            var about = rolledBackToCurrent && since == last!.EndedAt
                ? $"before rollback {last.RollbackId} made {input.CurrentVersion} current at {since:O}"
                : $"before {input.CurrentVersion} was deployed ({input.CurrentDeployedAt:O}, less {evidenceSkew.TotalMinutes:0.#} min skew)";
            return new(AdmissionOutcome.Stale, $"The evidence was observed at {evidence:O}, {about}: it is about an older version and starts nothing.", null, since);
        }

        // A Deployed record after the rollback's end means something new runs: the cooldown is over.
        var redeployedSince = input.CurrentDeployedAt is { } d && restoredIsCurrent && d > last!.EndedAt;
        if (restoredIsCurrent && !redeployedSince && input.Now < last!.EndedAt + cooldown)
        {
            return new(AdmissionOutcome.Cooldown,
                $"Rollback {last.RollbackId} restored {input.CurrentVersion} at {last.EndedAt:O}; within the {cooldown.TotalMinutes:0.#} min cooldown a new trigger starts no rollback: still unhealthy after rollback {last.RollbackId}, a person must analyse it (section 11).",
                last.RollbackId, currentSince);
        }

        return new(AdmissionOutcome.Admit, "The trigger is about the running version.", null, currentSince);
    }
}
