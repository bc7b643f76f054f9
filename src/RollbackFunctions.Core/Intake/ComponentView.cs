using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;

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
    ActiveRollbackView? ActiveRollback)
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

public sealed record ActiveRollbackView(string RollbackId, DateTimeOffset? Since, RollbackPhase? Phase, string StatusUri);
