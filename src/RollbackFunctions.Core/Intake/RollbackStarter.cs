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
using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.Intake;

/// <summary>
/// Start-or-join over Table Storage and the durable client (contract on <see cref="IRollbackStarter"/>): read the
/// component; idle, claim it, bind the trigger, schedule the orchestration and mark the claim scheduled; busy with a
/// scheduled claim, join it. The trigger key store gives "one trigger, one rollback"; the conditional claim gives "one
/// active rollback per component"; the scheduled mark gives "a trigger never joins a rollback that does not exist".
/// </summary>
/// <remarks>
/// A claim not yet marked scheduled is either being scheduled right now or was left by a crash between claim and
/// schedule. A trigger waits for it briefly; one whose orchestration exists after all is marked and joined; one older
/// than <see cref="ReconcilerOptions.ClaimGrace"/> whose orchestration does not exist is taken over (its audit records
/// why); a young one is answered with a timeout, which the intake maps to <c>503</c> with <c>Retry-After</c>.
/// </remarks>
public sealed partial class RollbackStarter(
    IOptionsMonitor<RollbackOptions> options,
    IOptionsMonitor<ReconcilerOptions> reconciler,
    TriggerKeyStore triggerKeys,
    ComponentStateStore components,
    RollbackAuditStore audit,
    AbandonedRollbackEnding abandoned,
    TimeProvider time,
    ILogger<RollbackStarter> logger) : IRollbackStarter
{
    /// <summary>How long a trigger waits for an unscheduled claim to be scheduled before it looks closer.</summary>
    public static readonly TimeSpan UnscheduledClaimWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan UnscheduledClaimPoll = TimeSpan.FromMilliseconds(20);
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
        var state = await components.GetAsync(command.Component, cancellationToken).ConfigureAwait(false);
        for (var decision = 1; decision <= MaxDecisions; decision++)
        {
            if (state.IsFrozen)
            {
                return await RefuseFrozenAsync(command, state, cancellationToken).ConfigureAwait(false);
            }

            if (state.ActiveRollbackId is null)
            {
                if (await FindBindingAsync(command, cancellationToken).ConfigureAwait(false) is { } seen)
                {
                    return await DuplicateAsync(command, seen, cancellationToken).ConfigureAwait(false);
                }

                var claim = await components.TryClaimAsync(command.Component, request.RollbackId, request, cancellationToken).ConfigureAwait(false);
                if (claim.Outcome == ClaimOutcome.Claimed)
                {
                    return await BindAndScheduleAsync(client, command, request, cancellationToken).ConfigureAwait(false);
                }

                state = claim.State;
                continue;
            }

            if (state.ActiveScheduledAt is not null)
            {
                return await JoinAsync(command, state.ActiveRollbackId, cancellationToken).ConfigureAwait(false);
            }

            var waited = await WaitWhileUnscheduledAsync(state, cancellationToken).ConfigureAwait(false);
            if (waited.ActiveRollbackId != state.ActiveRollbackId || waited.ActiveScheduledAt is not null || waited.IsFrozen)
            {
                state = waited;
                continue;
            }

            state = await SettleUnscheduledClaimAsync(client, waited, request, cancellationToken).ConfigureAwait(false);
            if (state.ActiveRollbackId == request.RollbackId)
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
        return new RollbackRequest(NewRollbackId(command.Component, trigger.ReceivedAt), command.Component, command.TargetVersion, trigger, new RollbackPolicy(
            rollback.Budget, rollback.ConfirmationWindow, rollback.DeploymentPollInterval, rollback.Incident.MaxAttempts, rollback.Incident.InitialBackoff));
    }

    /// <summary>Waits, up to <see cref="UnscheduledClaimWait"/>, for the claim of a rollback being scheduled to be marked, released or ended.</summary>
    private async Task<ComponentState> WaitWhileUnscheduledAsync(ComponentState state, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + UnscheduledClaimWait;
        var current = state;
        while (current.ActiveRollbackId == state.ActiveRollbackId && current.ActiveScheduledAt is null && !current.IsFrozen && time.GetUtcNow() < until
            && !IsPastGrace(current))
        {
            await Task.Delay(UnscheduledClaimPoll, time, cancellationToken).ConfigureAwait(false);
            current = await components.GetAsync(state.Component, cancellationToken).ConfigureAwait(false);
        }

        return current;
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
        else if (!IsPastGrace(state))
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

    private bool IsPastGrace(ComponentState state) =>
        state.ActiveSince is not { } since || time.GetUtcNow() - since >= reconciler.CurrentValue.ClaimGrace;

    private Task<TriggerBinding?> FindBindingAsync(StartRollbackCommand command, CancellationToken cancellationToken) =>
        triggerKeys.FindBindingAsync(command.Component, command.Trigger.Source, command.Trigger.TriggerId, cancellationToken);

    /// <summary>A frozen component starts nothing; a trigger bound before the freeze is still a repeat of its rollback.</summary>
    private async Task<StartRollbackResult> RefuseFrozenAsync(StartRollbackCommand command, ComponentState state, CancellationToken cancellationToken)
    {
        if (await FindBindingAsync(command, cancellationToken).ConfigureAwait(false) is { } seen)
        {
            return await DuplicateAsync(command, seen, cancellationToken).ConfigureAwait(false);
        }

        var freeze = state.Freeze!;
        return new StartRollbackResult(StartRollbackOutcome.Frozen, null,
            $"Component '{command.Component}' is frozen since {freeze.FrozenAt:O} after rollback {freeze.RollbackId} ({freeze.Reason}); an operator must unfreeze it with an incident reference and analysis before another rollback (section 11).");
    }

    /// <summary>
    /// A repeat of a bound trigger. If it had joined its rollback, its joined row is written when missing: a join whose
    /// audit write failed after its binding is completed by the retry instead of being lost.
    /// </summary>
    private async Task<StartRollbackResult> DuplicateAsync(StartRollbackCommand command, TriggerBinding binding, CancellationToken cancellationToken)
    {
        var trigger = command.Trigger;
        if (binding.Joined)
        {
            await audit.EnsureJoinedTriggerAsync(new JoinedTrigger(binding.RollbackId, trigger), cancellationToken).ConfigureAwait(false);
        }

        return new StartRollbackResult(StartRollbackOutcome.Duplicate, binding.RollbackId, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {binding.RollbackId}.");
    }

    /// <summary>Joins the scheduled rollback <paramref name="activeId"/>: binding first (a trigger already bound is a repeat), then its joined row.</summary>
    private async Task<StartRollbackResult> JoinAsync(StartRollbackCommand command, string activeId, CancellationToken cancellationToken)
    {
        var trigger = command.Trigger;
        var bound = (await triggerKeys.BindJoinedAsync(command.Component, trigger.Source, [trigger.TriggerId], activeId, cancellationToken).ConfigureAwait(false))[0];
        if (!bound.Inserted)
        {
            return await DuplicateAsync(command, bound, cancellationToken).ConfigureAwait(false);
        }

        await audit.RecordJoinedTriggerAsync(new JoinedTrigger(activeId, trigger), cancellationToken).ConfigureAwait(false);
        LogJoined(logger, trigger.Source, trigger.TriggerId, activeId, command.Component);
        return new StartRollbackResult(StartRollbackOutcome.Joined, activeId, $"Rollback {activeId} of '{command.Component}' is already active; this trigger joined it.");
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
            return new StartRollbackResult(StartRollbackOutcome.Duplicate, bound, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {bound}.");
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
        return new StartRollbackResult(StartRollbackOutcome.Started, rollbackId, null);
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

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "The claim of rollback {AbandonedId} on {Component} was never scheduled; rollback {RollbackId} took it over")]
    private static partial void LogClaimTakenOver(ILogger logger, string abandonedId, string component, string rollbackId);
}
