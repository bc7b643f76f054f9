using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;
using RollbackFunctions.Trust;

namespace RollbackFunctions.Intake;

/// <summary>One component now: versions, the freeze and why, the active rollback.</summary>
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
    IReadOnlyList<RefusedTriggerView>? RefusedTriggers = null)
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
