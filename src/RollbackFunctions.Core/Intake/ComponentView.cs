using RollbackFunctions.Trust;

namespace RollbackFunctions.Intake;

/// <summary>One component now: versions, the freeze and why, the active rollback, the deployment gate, known-bad versions.</summary>
/// <param name="Gate">Whether a pipeline may deploy now, and why not (API.md "The deployment gate").</param>
/// <param name="RolledBackVersions">The versions rollbacks moved away from: known bad, never a target again.</param>
/// <param name="DeployedWhileGateClosed">The current version was recorded Deployed while the gate was closed.</param>
/// <param name="GateClosedDeployments">Every version recorded Deployed while the gate was closed, with why it was closed.</param>
/// <param name="RefusedTriggers">Recent triggers that started nothing (Stale or Cooldown), with their reasons.</param>
/// <param name="Cooldown">The cooldown after a successful rollback, while it is in force: until when, and why.</param>
public sealed record ComponentView(
    string Component,
    ComponentKind? Kind,
    string Provider,
    bool RequireOperatorConfirmation,
    string? CurrentVersion,
    string? LastKnownGoodVersion,
    bool Frozen,
    ComponentFreeze? Freeze,
    ComponentUnfreeze? LastUnfreeze,
    ActiveRollbackView? ActiveRollback,
    ComponentGateView? Gate = null,
    IReadOnlyList<RolledBackVersionView>? RolledBackVersions = null,
    bool DeployedWhileGateClosed = false,
    IReadOnlyList<GateClosedDeploymentView>? GateClosedDeployments = null,
    IReadOnlyList<RefusedTriggerView>? RefusedTriggers = null,
    CooldownInForce? Cooldown = null)
{
    public static ComponentView From(ComponentState state, ComponentOptions options, RollbackPhase? activePhase)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        return new(
            state.Component, options.Kind, options.Provider, options.RequireOperatorConfirmation, state.CurrentVersion, state.LastKnownGoodVersion,
            state.IsFrozen, state.Freeze, state.LastUnfreeze,
            state.ActiveRollbackId is { } id ? new ActiveRollbackView(id, state.ActiveSince, activePhase, RollbackStartResults.StatusUri(id)) : null);
    }
}

/// <summary>A recent trigger that started nothing: <c>Stale</c> (its evidence predates the current version) or <c>Cooldown</c>.</summary>
public sealed record RefusedTriggerView(AdmissionOutcome Outcome, TriggerSource Source, string TriggerId, DateTimeOffset? ObservedAt, string Reason, string? RollbackId, DateTimeOffset At)
{
    public static RefusedTriggerView From(RefusedTrigger refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return new(refused.Outcome, refused.Source, refused.TriggerId, refused.ObservedAt, refused.Reason, refused.RollbackId, refused.At);
    }
}

public sealed record ActiveRollbackView(string RollbackId, DateTimeOffset? Since, RollbackPhase? Phase, string StatusUri);

public sealed record ComponentGateView(bool Open, string Reason);

/// <summary>A version a rollback moved away from, and which rollback.</summary>
public sealed record RolledBackVersionView(string Version, string? RolledBackBy, DateTimeOffset? RolledBackAt)
{
    public static IReadOnlyList<RolledBackVersionView> From(IEnumerable<ReleaseRecord> releases) =>
        [.. releases.Where(r => r.Status == ReleaseStatus.RolledBack).Select(r => new RolledBackVersionView(r.Version, r.RolledBackBy, r.RolledBackAt))];
}

/// <summary>A version that landed while the gate was closed; <paramref name="Escalated"/> once the incident was delivered.</summary>
public sealed record GateClosedDeploymentView(string Version, string? Reason, DateTimeOffset RecordedAt, bool Escalated)
{
    public static IReadOnlyList<GateClosedDeploymentView> From(IEnumerable<ReleaseRecord> releases) =>
        [.. releases.Where(r => r.DeployedWhileGateClosed).Select(r => new GateClosedDeploymentView(r.Version, r.GateClosedReason, r.RecordedAt, r.GateClosedEscalatedAt is not null))];
}
