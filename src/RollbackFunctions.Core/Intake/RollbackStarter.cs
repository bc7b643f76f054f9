using System.Collections.Concurrent;
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
/// <remarks>
/// Group commit per component: calls for one component that arrive while a batch of it is being written wait for the
/// next batch, and a batch reads the component state once for all its calls. The read happens after every call of the
/// batch arrived, so no decision rests on a state read before its call began. A batch that finds a rollback active
/// binds all its trigger ids in one transaction and records them on the rollback in another; each call answers only
/// once its own rows are written, and a call whose write failed gets the error. A batch that finds the component idle
/// starts a rollback for its first call only; the others go to the next batch, which joins what was started.
/// </remarks>
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

    private readonly ConcurrentDictionary<string, ComponentLane> _lanes = new(StringComparer.Ordinal);

    public async Task<StartRollbackResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(command);
        if (!ComponentNames.IsValidComponent(command.Component) || options.CurrentValue.FindComponent(command.Component) is null)
        {
            return new StartRollbackResult(StartRollbackOutcome.UnknownComponent, null,
                $"Component '{command.Component}' is not configured under Rollback:Components; nothing was started.");
        }

        // Component names are configured, so the lanes are few and live as long as the starter.
        var lane = _lanes.GetOrAdd(command.Component, _ => new ComponentLane());
        var call = new PendingCall(client, command);
        bool lead;
        lock (lane)
        {
            lane.Waiting.Add(call);
            lead = !lane.Draining;
            lane.Draining = true;
        }

        if (lead)
        {
            _ = Task.Run(() => DrainAsync(lane), CancellationToken.None);
        }

        // The batch runs to the end whatever this caller does: rows are never left half written by a cancelled wait.
        return await call.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DrainAsync(ComponentLane lane)
    {
        while (true)
        {
            List<PendingCall> batch;
            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.Draining = false;
                    return;
                }

                batch = lane.Waiting;
                lane.Waiting = [];
            }

            IReadOnlyList<PendingCall> deferred;
            try
            {
                deferred = await ProcessBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var call in batch)
                {
                    call.Answer.TrySetException(ex);
                }

                continue;
            }

            if (deferred.Count > 0)
            {
                lock (lane)
                {
                    lane.Waiting.InsertRange(0, deferred);
                }
            }
        }
    }

    /// <summary>Answers every call of the batch, or returns those left for the next batch.</summary>
    private async Task<IReadOnlyList<PendingCall>> ProcessBatchAsync(List<PendingCall> batch)
    {
        var component = batch[0].Command.Component;
        var state = await components.GetAsync(component, CancellationToken.None).ConfigureAwait(false);
        if (!state.IsFrozen && state.ActiveRollbackId is not null
            && await RecoverStaleClaimAsync(batch[0].Client, state, CancellationToken.None).ConfigureAwait(false))
        {
            state = await components.GetAsync(component, CancellationToken.None).ConfigureAwait(false);
        }

        if (state.IsFrozen)
        {
            await Task.WhenAll(batch.Select(call => AnswerAsync(call, () => RefuseFrozenAsync(call.Command, state)))).ConfigureAwait(false);
            return [];
        }

        if (state.ActiveRollbackId is { } activeId)
        {
            await JoinBatchAsync(batch, activeId).ConfigureAwait(false);
            return [];
        }

        // Idle: one call starts the rollback (conditional claim, schedule); the rest join it in the next batch.
        var first = batch[0];
        await AnswerAsync(first, () => StartOneAsync(first.Client, first.Command, CancellationToken.None)).ConfigureAwait(false);
        return batch.GetRange(1, batch.Count - 1);
    }

    private static async Task AnswerAsync(PendingCall call, Func<Task<StartRollbackResult>> work)
    {
        try
        {
            call.Answer.TrySetResult(await work().ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            call.Answer.TrySetException(ex);
        }
    }

    /// <summary>A frozen component starts nothing; a trigger bound before the freeze is still a repeat of its rollback.</summary>
    private async Task<StartRollbackResult> RefuseFrozenAsync(StartRollbackCommand command, ComponentState state)
    {
        var trigger = command.Trigger;
        if (await triggerKeys.FindBindingAsync(trigger.Source, trigger.TriggerId, CancellationToken.None).ConfigureAwait(false) is { } seen)
        {
            return await DuplicateAsync(command, seen).ConfigureAwait(false);
        }

        return Frozen(command, state);
    }

    private static StartRollbackResult Frozen(StartRollbackCommand command, ComponentState state)
    {
        var freeze = state.Freeze!;
        return new StartRollbackResult(StartRollbackOutcome.Frozen, null,
            $"Component '{command.Component}' is frozen since {freeze.FrozenAt:O} after rollback {freeze.RollbackId} ({freeze.Reason}); an operator must unfreeze it with an incident reference and analysis before another rollback (section 11).");
    }

    /// <summary>
    /// A repeat of a bound trigger. If it had joined its rollback, its joined row is written when missing: a join whose
    /// audit write failed after its binding is completed by the retry instead of being lost.
    /// </summary>
    private async Task<StartRollbackResult> DuplicateAsync(StartRollbackCommand command, TriggerBinding binding)
    {
        var trigger = command.Trigger;
        if (binding.Joined)
        {
            await audit.EnsureJoinedTriggerAsync(new JoinedTrigger(binding.RollbackId, trigger), CancellationToken.None).ConfigureAwait(false);
        }

        return new StartRollbackResult(StartRollbackOutcome.Duplicate, binding.RollbackId, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {binding.RollbackId}.");
    }

    /// <summary>
    /// Joins every call of the batch to <paramref name="activeId"/>: trigger keys first (insert-first, one transaction
    /// per source and 100 ids; an id already bound answers Duplicate of its binding), then the joined-trigger rows of the
    /// new bindings in one transaction. A call answers after its own rows are written; on a failed write it gets the
    /// error, and its retry finds the binding and writes the missing row (<see cref="DuplicateAsync"/>).
    /// </summary>
    private async Task JoinBatchAsync(List<PendingCall> batch, string activeId)
    {
        // The same trigger twice in one batch: the first call does the work, the others repeat its answer.
        var groups = batch.GroupBy(c => (c.Command.Trigger.Source, c.Command.Trigger.TriggerId)).ToList();
        var representatives = groups.Select(g => g.First()).ToList();
        var bindings = new Dictionary<PendingCall, TriggerBinding>();
        var bindTasks = representatives
            .GroupBy(c => c.Command.Trigger.Source)
            .SelectMany(bySource => bySource.Chunk(TriggerKeyStore.MaxTransactionSize).Select(chunk => (bySource.Key, chunk)))
            .Select(async part =>
            {
                try
                {
                    var bound = await triggerKeys.BindJoinedAsync(
                        part.Key, [.. part.chunk.Select(c => c.Command.Trigger.TriggerId)], activeId, part.chunk[0].Command.Component, CancellationToken.None).ConfigureAwait(false);
                    lock (bindings)
                    {
                        for (var i = 0; i < part.chunk.Length; i++)
                        {
                            bindings[part.chunk[i]] = bound[i];
                        }
                    }
                }
                catch (Exception ex)
                {
                    foreach (var call in part.chunk)
                    {
                        call.Answer.TrySetException(ex);
                    }
                }
            });
        await Task.WhenAll(bindTasks).ConfigureAwait(false);

        var joined = bindings.Where(b => b.Value.Inserted).Select(b => b.Key).ToList();
        try
        {
            await audit.RecordJoinedTriggersAsync(activeId, [.. joined.Select(c => c.Command.Trigger)], CancellationToken.None).ConfigureAwait(false);
            foreach (var call in joined)
            {
                var trigger = call.Command.Trigger;
                LogJoined(logger, trigger.Source, trigger.TriggerId, activeId, call.Command.Component);
                call.Answer.TrySetResult(new StartRollbackResult(StartRollbackOutcome.Joined, activeId, $"Rollback {activeId} of '{call.Command.Component}' is already active; this trigger joined it."));
            }
        }
        catch (Exception ex)
        {
            foreach (var call in joined)
            {
                call.Answer.TrySetException(ex);
            }
        }

        await Task.WhenAll(bindings.Where(b => !b.Value.Inserted)
            .Select(b => AnswerAsync(b.Key, () => DuplicateAsync(b.Key.Command, b.Value)))).ConfigureAwait(false);

        foreach (var group in groups)
        {
            var answer = group.First().Answer.Task;
            foreach (var repeat in group.Skip(1))
            {
                if (answer.IsCompletedSuccessfully && answer.Result.RollbackId is { } rollbackId)
                {
                    repeat.Answer.TrySetResult(answer.Result with { Outcome = StartRollbackOutcome.Duplicate, Reason = $"Trigger {repeat.Command.Trigger.Source}/{repeat.Command.Trigger.TriggerId} already belongs to rollback {rollbackId}." });
                }
                else if (answer.Exception is { } failed)
                {
                    repeat.Answer.TrySetException(failed.InnerExceptions);
                }
                else
                {
                    repeat.Answer.TrySetResult(answer.Result);
                }
            }
        }
    }

    /// <summary>One call on an idle component: the conditional claim decides between starting and joining.</summary>
    private async Task<StartRollbackResult> StartOneAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        var rollback = options.CurrentValue;
        var trigger = command.Trigger;
        if (await triggerKeys.FindBindingAsync(trigger.Source, trigger.TriggerId, cancellationToken).ConfigureAwait(false) is { } seen)
        {
            return await DuplicateAsync(command, seen).ConfigureAwait(false);
        }

        var rollbackId = NewRollbackId(command.Component, trigger.ReceivedAt);
        for (var attempt = 0; ; attempt++)
        {
            var claim = await components.TryClaimAsync(command.Component, rollbackId, cancellationToken).ConfigureAwait(false);
            switch (claim.Outcome)
            {
                case ClaimOutcome.Frozen:
                    return Frozen(command, claim.State);

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
        var bound = (await triggerKeys.BindJoinedAsync(trigger.Source, [trigger.TriggerId], activeId, command.Component, cancellationToken).ConfigureAwait(false))[0];
        if (!bound.Inserted)
        {
            return await DuplicateAsync(command, bound).ConfigureAwait(false);
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

    private sealed class ComponentLane
    {
        public List<PendingCall> Waiting { get; set; } = [];

        public bool Draining { get; set; }
    }

    private sealed class PendingCall(DurableTaskClient client, StartRollbackCommand command)
    {
        public DurableTaskClient Client { get; } = client;

        public StartRollbackCommand Command { get; } = command;

        public TaskCompletionSource<StartRollbackResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
