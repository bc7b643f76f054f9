using System.Globalization;
using System.Security.Cryptography;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;
using RollbackFunctions.Storage;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Intake;

/// <summary>
/// Start-or-join over Table Storage and the durable client (contract on <see cref="IRollbackStarter"/>). The trigger
/// key store gives "one trigger, one rollback"; the component state's conditional claim gives "one active rollback per
/// component"; the claim is taken before scheduling and given back if scheduling fails.
/// </summary>
public sealed partial class RollbackStarter(
    IOptionsMonitor<RollbackOptions> options,
    TriggerKeyStore triggerKeys,
    ComponentStateStore components,
    RollbackAuditStore audit,
    TimeProvider time,
    ILogger<RollbackStarter> logger) : IRollbackStarter
{
    /// <summary>A claim this old whose orchestration does not exist was left by a crash between claim and schedule.</summary>
    public static readonly TimeSpan StaleClaimAge = TimeSpan.FromSeconds(30);

    public async Task<StartRollbackResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(command);
        var rollback = options.CurrentValue;
        if (!ComponentNames.IsValidComponent(command.Component) || rollback.FindComponent(command.Component) is null)
        {
            return new StartRollbackResult(StartRollbackOutcome.UnknownComponent, null,
                $"Component '{command.Component}' is not configured under Rollback:Components; nothing was started.");
        }

        var trigger = command.Trigger;
        if (await triggerKeys.FindAsync(trigger.Source, trigger.TriggerId, cancellationToken).ConfigureAwait(false) is { } seen)
        {
            return new StartRollbackResult(StartRollbackOutcome.Duplicate, seen, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {seen}.");
        }

        var rollbackId = NewRollbackId(command.Component, trigger.ReceivedAt);
        for (var attempt = 0; ; attempt++)
        {
            var claim = await components.TryClaimAsync(command.Component, rollbackId, cancellationToken).ConfigureAwait(false);
            switch (claim.Outcome)
            {
                case ClaimOutcome.Frozen:
                    var freeze = claim.State.Freeze!;
                    return new StartRollbackResult(StartRollbackOutcome.Frozen, null,
                        $"Component '{command.Component}' is frozen since {freeze.FrozenAt:O} after rollback {freeze.RollbackId} ({freeze.Reason}); an operator must unfreeze it with an incident reference and analysis before another rollback (section 11).");

                case ClaimOutcome.AlreadyActive:
                    var activeId = claim.State.ActiveRollbackId!;
                    if (attempt == 0 && await RecoverStaleClaimAsync(client, claim.State, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    return await JoinAsync(command, activeId, cancellationToken).ConfigureAwait(false);

                default:
                    return await ScheduleAsync(client, command, rollbackId, rollback, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<StartRollbackResult> JoinAsync(StartRollbackCommand command, string activeId, CancellationToken cancellationToken)
    {
        var trigger = command.Trigger;
        var bound = await triggerKeys.BindAsync(trigger.Source, trigger.TriggerId, activeId, command.Component, cancellationToken).ConfigureAwait(false);
        if (bound != activeId)
        {
            return new StartRollbackResult(StartRollbackOutcome.Duplicate, bound, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {bound}.");
        }

        await audit.RecordJoinedTriggerAsync(new JoinedTrigger(activeId, trigger), cancellationToken).ConfigureAwait(false);
        LogJoined(logger, trigger.Source, trigger.TriggerId, activeId, command.Component);
        return new StartRollbackResult(StartRollbackOutcome.Joined, activeId, $"Rollback {activeId} of '{command.Component}' is already active; this trigger joined it.");
    }

    private async Task<StartRollbackResult> ScheduleAsync(
        DurableTaskClient client, StartRollbackCommand command, string rollbackId, RollbackOptions rollback, CancellationToken cancellationToken)
    {
        var trigger = command.Trigger;
        string bound;
        try
        {
            bound = await triggerKeys.BindAsync(trigger.Source, trigger.TriggerId, rollbackId, command.Component, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await components.ReleaseClaimAsync(command.Component, rollbackId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (bound != rollbackId)
        {
            // The same trigger raced us and won: its rollback stands, ours never starts.
            await components.ReleaseClaimAsync(command.Component, rollbackId, cancellationToken).ConfigureAwait(false);
            return new StartRollbackResult(StartRollbackOutcome.Duplicate, bound, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {bound}.");
        }

        var request = new RollbackRequest(rollbackId, command.Component, command.TargetVersion, trigger, new RollbackPolicy(
            rollback.Budget, rollback.ConfirmationWindow, rollback.DeploymentPollInterval, rollback.Incident.MaxAttempts, rollback.Incident.InitialBackoff));
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(RollbackOrchestrator), request, new StartOrchestrationOptions(rollbackId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A failing dependency loses nothing and blocks nothing: give every claim back so a retry can start it.
            LogScheduleFailed(logger, ex, rollbackId, command.Component);
            await components.ReleaseClaimAsync(command.Component, rollbackId, CancellationToken.None).ConfigureAwait(false);
            await triggerKeys.UnbindAsync(trigger.Source, trigger.TriggerId, rollbackId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogStarted(logger, rollbackId, command.Component, trigger.Reason, trigger.Source);
        return new StartRollbackResult(StartRollbackOutcome.Started, rollbackId, null);
    }

    /// <summary>
    /// A claim whose orchestration never came to be (a crash between claim and schedule) or has ended without giving it
    /// back must not wedge the component. Missing or completed: the claim is released. Failed or terminated: that
    /// rollback did not succeed, so the component is frozen (section 11), never silently released.
    /// </summary>
    private async Task<bool> RecoverStaleClaimAsync(DurableTaskClient client, ComponentState state, CancellationToken cancellationToken)
    {
        var activeId = state.ActiveRollbackId!;
        if (state.ActiveSince is { } since && time.GetUtcNow() - since < StaleClaimAge)
        {
            return false;
        }

        var instance = await client.GetInstanceAsync(activeId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        switch (instance?.RuntimeStatus)
        {
            case null:
            case OrchestrationRuntimeStatus.Completed:
                LogStaleClaimReleased(logger, activeId, state.Component);
                return await components.ReleaseClaimAsync(state.Component, activeId, cancellationToken).ConfigureAwait(false);
            case OrchestrationRuntimeStatus.Failed:
            case OrchestrationRuntimeStatus.Terminated:
                await components.FreezeAsync(state.Component, activeId, $"Rollback {activeId} ended {instance.RuntimeStatus} without finishing its workflow.", cancellationToken).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Readable, unique, and valid both as an orchestration instance id and as a Table Storage key.</summary>
    internal static string NewRollbackId(string component, DateTimeOffset receivedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{component}-{receivedAt.UtcDateTime:yyyyMMddHHmmss}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant()}");

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Rollback {RollbackId} of {Component} started ({Reason} from {Source})")]
    private static partial void LogStarted(ILogger logger, string rollbackId, string component, TriggerReason reason, TriggerSource source);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Trigger {Source}/{TriggerId} joined active rollback {RollbackId} of {Component}")]
    private static partial void LogJoined(ILogger logger, TriggerSource source, string triggerId, string rollbackId, string component);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Rollback {RollbackId} of {Component} could not be scheduled; its claim was given back")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string rollbackId, string component);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Released the stale claim of rollback {RollbackId} on {Component}")]
    private static partial void LogStaleClaimReleased(ILogger logger, string rollbackId, string component);
}
