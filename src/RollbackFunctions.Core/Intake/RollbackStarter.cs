using System.Security.Cryptography;
using RollbackFunctions.Notifications;
using RollbackFunctions.Workflow;
using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.Intake;

/// <summary>
/// Start-or-join over Table Storage and the durable client (contract on <see cref="IRollbackStarter"/>): join the
/// component's scheduled rollback through <see cref="ComponentJoinBatcher"/>; idle, claim it, bind the trigger, schedule
/// the orchestration and mark the claim scheduled. The trigger key store gives "one trigger, one rollback"; the
/// conditional claim gives "one active rollback per component"; the scheduled mark gives "a trigger never joins a
/// rollback that does not exist".
/// </summary>
/// <remarks>
/// A claim not yet marked scheduled is either being scheduled right now or was left by a crash between claim and
/// schedule. The batcher waits for it briefly; one whose orchestration exists after all is marked and joined; one older
/// than <see cref="ReconcilerOptions.ClaimGrace"/> whose orchestration does not exist is taken over (its audit records
/// why); a young one is answered with a timeout, which the intake maps to <c>503</c> with <c>Retry-After</c>.
/// </remarks>
public sealed partial class RollbackStarter(
    IOptionsMonitor<RollbackOptions> options,
    ComponentJoinBatcher joins,
    TriggerKeyStore triggerKeys,
    ComponentStateStore components,
    AbandonedRollbackEnding abandoned,
    NotificationScheduler notifications,
    TimeProvider time,
    ILogger<RollbackStarter> logger) : IRollbackStarter
{
    private const int MaxDecisions = 5;

    public async Task<StartRollbackResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(command);
        if (!ComponentNames.IsValidComponent(command.Component) || options.CurrentValue.FindComponent(command.Component) is null)
        {
            return new StartRollbackResult(StartRollbackOutcome.UnknownComponent, null,
                $"Component '{command.Component}' is not configured under Rollback:Components; nothing was started.");
        }

        var request = NewRequest(command);
        for (var decision = 1; decision <= MaxDecisions; decision++)
        {
            // An idle component: this call holds the component's turn to start until the end of this decision.
            using var join = await joins.JoinAsync(command, cancellationToken).ConfigureAwait(false);
            if (join.Answer is { } joined)
            {
                return joined;
            }

            var state = join.State;

            if (state.IsFrozen)
            {
                return await RefuseFrozenAsync(command, state, cancellationToken).ConfigureAwait(false);
            }

            if (state.ActiveRollbackId is null)
            {
                if (await FindBindingAsync(command, cancellationToken).ConfigureAwait(false) is { } seen)
                {
                    return await joins.RepeatAsync(command, seen, cancellationToken).ConfigureAwait(false);
                }

                var claim = await components.TryClaimAsync(command.Component, request.RollbackId, request, cancellationToken).ConfigureAwait(false);
                if (claim.Outcome == ClaimOutcome.Claimed)
                {
                    return await BindAndScheduleAsync(client, command, request, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            // A claim that stayed unscheduled through the batcher's wait.
            var settled = await SettleUnscheduledClaimAsync(client, state, request, cancellationToken).ConfigureAwait(false);
            if (settled.ActiveRollbackId == request.RollbackId)
            {
                return await BindAndScheduleAsync(client, command, request, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"Component '{command.Component}' kept changing while this trigger was being applied; retry.");
    }

    private RollbackRequest NewRequest(StartRollbackCommand command)
    {
        var rollback = options.CurrentValue;
        var trigger = command.Trigger;
        return new RollbackRequest(NewRollbackId(command.Component, trigger.ReceivedAt), command.Component, command.TargetVersion, trigger, rollback.ToPolicy() with { Notify = notifications.SubscribedEvents });
    }

    /// <summary>
    /// The claim stayed unscheduled. Its orchestration exists (the scheduler crashed before marking it): mark it. It does
    /// not, and the claim is past its grace (a crash between claim and schedule): take it over for <paramref name="request"/>.
    /// Otherwise it may still be scheduled: the caller retries later. Returns the component as it is now.
    /// </summary>
    private async Task<ComponentState> SettleUnscheduledClaimAsync(DurableTaskClient client, ComponentState state, RollbackRequest request, CancellationToken cancellationToken)
    {
        var claimedId = state.ActiveRollbackId!;
        if (await client.GetInstanceAsync(claimedId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            await components.MarkScheduledAsync(state.Component, claimedId, cancellationToken).ConfigureAwait(false);
        }
        else if (!joins.IsPastGrace(state))
        {
            throw new TimeoutException($"Rollback {claimedId} of '{state.Component}' is still being scheduled; retry.");
        }
        else if (await components.TakeOverClaimAsync(state.Component, claimedId, request.RollbackId, request, cancellationToken).ConfigureAwait(false))
        {
            LogClaimTakenOver(logger, claimedId, state.Component, request.RollbackId);
            await abandoned.RecordSupersededAsync(state, request.RollbackId, cancellationToken).ConfigureAwait(false);
        }

        return await components.GetAsync(state.Component, cancellationToken).ConfigureAwait(false);
    }

    private Task<TriggerBinding?> FindBindingAsync(StartRollbackCommand command, CancellationToken cancellationToken) =>
        triggerKeys.FindBindingAsync(command.Component, command.Trigger.Source, command.Trigger.TriggerId, cancellationToken);

    /// <summary>A frozen component starts nothing; a trigger bound before the freeze is still a repeat of its rollback.</summary>
    private async Task<StartRollbackResult> RefuseFrozenAsync(StartRollbackCommand command, ComponentState state, CancellationToken cancellationToken)
    {
        if (await FindBindingAsync(command, cancellationToken).ConfigureAwait(false) is { } seen)
        {
            return await joins.RepeatAsync(command, seen, cancellationToken).ConfigureAwait(false);
        }

        var freeze = state.Freeze!;
        return new StartRollbackResult(StartRollbackOutcome.Frozen, null,
            $"Component '{command.Component}' is frozen since {freeze.FrozenAt:O} after rollback {freeze.RollbackId} ({freeze.Reason}); an operator must unfreeze it with an incident reference and analysis before another rollback (section 11).",
            freeze.RollbackId);
    }

    /// <summary>The component is claimed for <paramref name="request"/>: bind the trigger, schedule, mark the claim scheduled.</summary>
    private async Task<StartRollbackResult> BindAndScheduleAsync(DurableTaskClient client, StartRollbackCommand command, RollbackRequest request, CancellationToken cancellationToken)
    {
        var trigger = command.Trigger;
        var rollbackId = request.RollbackId;
        string bound;
        try
        {
            bound = await triggerKeys.BindAsync(command.Component, trigger.Source, trigger.TriggerId, rollbackId, cancellationToken).ConfigureAwait(false);
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
            return StartRollbackAnswers.Duplicate(trigger, bound);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(RollbackOrchestrator), request, new StartOrchestrationOptions(rollbackId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A failing dependency loses nothing and blocks nothing: give every claim back so a retry can start it.
            LogScheduleFailed(logger, ex, rollbackId, command.Component);
            await components.ReleaseClaimAsync(command.Component, rollbackId, CancellationToken.None).ConfigureAwait(false);
            await triggerKeys.UnbindAsync(command.Component, trigger.Source, trigger.TriggerId, rollbackId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await components.MarkScheduledAsync(command.Component, rollbackId, CancellationToken.None).ConfigureAwait(false);
        LogStarted(logger, rollbackId, command.Component, trigger.Reason, trigger.Source);
        await notifications.ScheduleAsync(client, LifecycleNotifications.Started(request, time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        return new StartRollbackResult(StartRollbackOutcome.Started, rollbackId, null);
    }

    /// <summary>Readable, unique, and valid both as an orchestration instance id and as a Table Storage key.</summary>
    internal static string NewRollbackId(string component, DateTimeOffset receivedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{component}-{receivedAt.UtcDateTime:yyyyMMddHHmmss}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant()}");

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Rollback {RollbackId} of {Component} started ({Reason} from {Source})")]
    private static partial void LogStarted(ILogger logger, string rollbackId, string component, TriggerReason reason, TriggerSource source);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Rollback {RollbackId} of {Component} could not be scheduled; its claim was given back")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string rollbackId, string component);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "The claim of rollback {AbandonedId} on {Component} was never scheduled; rollback {RollbackId} took it over")]
    private static partial void LogClaimTakenOver(ILogger logger, string abandonedId, string component, string rollbackId);
}
