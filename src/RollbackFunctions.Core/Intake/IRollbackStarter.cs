namespace RollbackFunctions.Intake;

/// <summary>
/// The one way any trigger source starts a rollback. Implementations guarantee: a trigger id maps to at most one
/// rollback (a repeat returns it); a component has at most one active rollback (a concurrent trigger joins it and is
/// recorded on it); a frozen or unknown component starts nothing and writes nothing; if the orchestration cannot be
/// scheduled every claim is given back, so a retry can succeed.
/// </summary>
/// <remarks>
/// The <see cref="DurableTaskClient"/> is a parameter, not a dependency: in the Functions app it arrives per call through
/// the <c>[DurableClient]</c> binding (it is not in DI there), in the dev host and tests from DI. Handlers receive it the
/// same way and pass it on.
/// </remarks>
public interface IRollbackStarter
{
    Task<StartRollbackResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken);
}

/// <param name="TargetVersion">Explicit target; null lets the workflow choose the newest verified release older than the current one.</param>
public sealed record StartRollbackCommand(string Component, string? TargetVersion, RollbackTrigger Trigger);

public enum StartRollbackOutcome
{
    /// <summary>A new rollback was scheduled.</summary>
    Started,

    /// <summary>The component already had an active rollback; this trigger joined it.</summary>
    Joined,

    /// <summary>This trigger id was seen before; its rollback is returned and nothing else happens.</summary>
    Duplicate,

    /// <summary>The component is frozen after a failed rollback (section 11): nothing started.</summary>
    Frozen,

    /// <summary>The component is not configured: nothing started.</summary>
    UnknownComponent,
}

/// <param name="RollbackId">The started, joined or earlier rollback; null for Frozen and UnknownComponent.</param>
/// <param name="Reason">A sentence an operator can act on, for refusals.</param>
/// <param name="FrozenByRollbackId">For Frozen: the failed rollback whose end froze the component.</param>
public sealed record StartRollbackResult(StartRollbackOutcome Outcome, string? RollbackId, string? Reason, string? FrozenByRollbackId = null);
