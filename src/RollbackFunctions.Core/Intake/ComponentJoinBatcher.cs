using System.Collections.Concurrent;
using RollbackFunctions.Workflow.Reconciliation;

namespace RollbackFunctions.Intake;

/// <summary>
/// What a join came to: <see cref="Answer"/> when the trigger joined the scheduled rollback (or repeated a trigger
/// already bound); otherwise null, and <see cref="State"/> is the component the caller decides on: frozen, idle, or
/// claimed by a rollback that stayed unscheduled through <see cref="ComponentJoinBatcher.UnscheduledClaimWait"/>.
/// </summary>
/// <remarks>
/// The one call told that the component is idle holds the component's turn until it is disposed: the other calls of
/// its batch wait, so they find the rollback it starts instead of all racing to claim it. Dispose it once the start was
/// tried.
/// </remarks>
public sealed class ComponentJoin(ComponentState state, StartRollbackResult? answer, TaskCompletionSource? turn = null) : IDisposable
{
    public ComponentState State { get; } = state;

    public StartRollbackResult? Answer { get; } = answer;

    public void Dispose() => turn?.TrySetResult();
}

/// <summary>
/// The join path of start-or-join as a group commit per component, so an alert storm costs a few Table requests per
/// batch instead of three per alert. Calls for one component that arrive while a batch of it is being decided wait for
/// the next batch. A batch reads the component once, after every one of its calls arrived, so no decision rests on a
/// read older than its call. A claim not yet scheduled is polled once for the whole batch. A scheduled claim is joined
/// by all the batch's calls: their trigger keys in one transaction per source and 100 ids, their joined rows in one per
/// 100. Each call answers only once its own rows are written; a call whose write failed gets the error, and its retry
/// finds the binding and completes the missing row (<see cref="RepeatAsync"/>).
/// </summary>
/// <remarks>
/// A join batch's writes overlap the next batch's read (at most <see cref="MaxJoinWritesInFlight"/> batches write at
/// once): joins change no component state, so the next decision does not depend on them, and a trigger in two such
/// batches is bound once (the trigger key is insert-first; the other batch answers it as a repeat). Without the
/// overlap a call that arrives just after a batch was taken waits for that batch's writes and then its own, about
/// twice the latency. The idle and frozen decisions are not overlapped. A trigger never joins a claim that is not
/// scheduled: its orchestration may not exist (a ghost).
/// </remarks>
public sealed partial class ComponentJoinBatcher(
    IOptionsMonitor<ReconcilerOptions> reconciler,
    TriggerKeyStore triggerKeys,
    ComponentStateStore components,
    RollbackAuditStore audit,
    TimeProvider time,
    ILogger<ComponentJoinBatcher> logger)
{
    /// <summary>How long a batch waits for an unscheduled claim to be scheduled before its calls look closer.</summary>
    public static readonly TimeSpan UnscheduledClaimWait = TimeSpan.FromSeconds(5);

    /// <summary>How many join batches of one component may be writing while the next one is decided.</summary>
    public const int MaxJoinWritesInFlight = 2;

    private static readonly TimeSpan UnscheduledClaimPoll = TimeSpan.FromMilliseconds(20);

    // Component names are configured, so the lanes are few and live as long as the batcher.
    private readonly ConcurrentDictionary<string, ComponentLane> _lanes = new(StringComparer.Ordinal);

    /// <summary>
    /// Joins the component's scheduled rollback, waiting with the other calls of its batch while a claim is being
    /// scheduled. The batch runs to its end whatever <paramref name="cancellationToken"/> does: rows are never left half
    /// written by a cancelled wait.
    /// </summary>
    public async Task<ComponentJoin> JoinAsync(StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var lane = _lanes.GetOrAdd(command.Component, _ => new ComponentLane());
        var call = new PendingJoin(command);
        if (lane.Enqueue(call))
        {
            _ = Task.Run(() => DrainAsync(lane), CancellationToken.None);
        }

        try
        {
            return await call.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody will use a turn this call may still be given: hand it back as soon as it comes.
            _ = call.Answer.Task.ContinueWith(answered => answered.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// A repeat of a bound trigger. If it had joined its rollback, its joined row is written when missing: a join whose
    /// row failed after its binding is completed by the retry instead of being lost.
    /// </summary>
    public async Task<StartRollbackResult> RepeatAsync(StartRollbackCommand command, TriggerBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Joined)
        {
            await audit.EnsureJoinedTriggerAsync(new JoinedTrigger(binding.RollbackId, command.Trigger), cancellationToken).ConfigureAwait(false);
        }

        return StartRollbackAnswers.Duplicate(command.Trigger, binding.RollbackId);
    }

    /// <summary>A claim this old whose orchestration does not exist was left by a crash between claim and schedule.</summary>
    public bool IsPastGrace(ComponentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.ActiveSince is not { } since || time.GetUtcNow() - since >= reconciler.CurrentValue.ClaimGrace;
    }

    private async Task DrainAsync(ComponentLane lane)
    {
        while (lane.TryTakeBatch(out var batch))
        {
            try
            {
                await WriteBatchAsync(lane, batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Calls already answered keep their answer (TrySet); the rest share the failure.
                foreach (var call in batch)
                {
                    call.Answer.TrySetException(ex);
                }
            }
        }
    }

    private async Task WriteBatchAsync(ComponentLane lane, List<PendingJoin> batch)
    {
        var state = await ReadOnceScheduledAsync(batch[0].Command.Component).ConfigureAwait(false);
        if (!state.IsFrozen && state.ActiveRollbackId is null)
        {
            await LetOneStartAsync(lane, batch, state).ConfigureAwait(false);
            return;
        }

        if (state.IsFrozen || state.ActiveScheduledAt is null)
        {
            foreach (var call in batch)
            {
                call.Answer.TrySetResult(new ComponentJoin(state, null));
            }

            return;
        }

        // The writes run on while the drain decides the next batch; the lane bounds how many do.
        await lane.JoinWrites.WaitAsync().ConfigureAwait(false);
        _ = Task.Run(() => JoinBatchAsync(lane, batch, state), CancellationToken.None);
    }

    private async Task JoinBatchAsync(ComponentLane lane, List<PendingJoin> batch, ComponentState state)
    {
        try
        {
            // The same trigger twice in one batch: the first call does the work, the others are repeats of its answer.
            var byTrigger = batch.GroupBy(call => (call.Command.Trigger.Source, call.Command.Trigger.TriggerId)).ToList();
            await JoinAllAsync([.. byTrigger.Select(g => g.First())], state).ConfigureAwait(false);
            foreach (var group in byTrigger)
            {
                foreach (var repeat in group.Skip(1))
                {
                    repeat.AnswerAsRepeatOf(group.First());
                }
            }
        }
        catch (Exception ex)
        {
            PendingJoin.Fail(batch, ex);
        }
        finally
        {
            lane.JoinWrites.Release();
        }
    }

    /// <summary>
    /// Idle: the first call gets the component's turn to start a rollback; the others go back to the front of the lane
    /// and wait until it was tried (or, if the caller never gives the turn back, <see cref="UnscheduledClaimWait"/>).
    /// </summary>
    private async Task LetOneStartAsync(ComponentLane lane, List<PendingJoin> batch, ComponentState state)
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lane.PutBack(batch.GetRange(1, batch.Count - 1));
        batch[0].Answer.TrySetResult(new ComponentJoin(state, null, turn));
        await Task.WhenAny(turn.Task, Task.Delay(UnscheduledClaimWait, time, CancellationToken.None)).ConfigureAwait(false);
    }

    /// <summary>Reads the component; while a claim on it is not yet scheduled (and not past its grace), polls it for the whole batch.</summary>
    private async Task<ComponentState> ReadOnceScheduledAsync(string component)
    {
        var state = await components.GetAsync(component, CancellationToken.None).ConfigureAwait(false);
        var until = time.GetUtcNow() + UnscheduledClaimWait;
        while (state.ActiveRollbackId is not null && state.ActiveScheduledAt is null && !state.IsFrozen && !IsPastGrace(state) && time.GetUtcNow() < until)
        {
            await Task.Delay(UnscheduledClaimPoll, time, CancellationToken.None).ConfigureAwait(false);
            state = await components.GetAsync(component, CancellationToken.None).ConfigureAwait(false);
        }

        return state;
    }

    /// <summary>
    /// Joins distinct triggers to the scheduled claim of <paramref name="state"/>: trigger keys first (insert-first; an id
    /// already bound answers as a repeat of its own binding), then the joined rows of the new bindings.
    /// </summary>
    private async Task JoinAllAsync(IReadOnlyList<PendingJoin> calls, ComponentState state)
    {
        var rollbackId = state.ActiveRollbackId!;
        var bindings = await Task.WhenAll(calls
            .GroupBy(call => call.Command.Trigger.Source)
            .SelectMany(bySource => bySource.Chunk(TriggerKeyStore.MaxTransactionSize))
            .Select(chunk => BindChunkAsync(chunk, rollbackId))).ConfigureAwait(false);
        var bound = bindings.SelectMany(chunk => chunk).ToList();

        var joined = bound.Where(b => b.Binding.Inserted).Select(b => b.Call).Chunk(TriggerKeyStore.MaxTransactionSize);
        var repeats = bound.Where(b => !b.Binding.Inserted);
        await Task.WhenAll(joined.Select(chunk => RecordJoinedAsync(chunk, state))
            .Concat(repeats.Select(b => AnswerRepeatAsync(b.Call, b.Binding, state)))).ConfigureAwait(false);
    }

    /// <summary>Binds one transaction's worth of trigger ids; on failure every call of the chunk gets the error and is left out.</summary>
    private async Task<IReadOnlyList<(PendingJoin Call, TriggerBinding Binding)>> BindChunkAsync(PendingJoin[] chunk, string rollbackId)
    {
        var first = chunk[0].Command;
        try
        {
            var bindings = await triggerKeys.BindJoinedAsync(
                first.Component, first.Trigger.Source, [.. chunk.Select(call => call.Command.Trigger.TriggerId)], rollbackId, CancellationToken.None).ConfigureAwait(false);
            return [.. chunk.Zip(bindings)];
        }
        catch (Exception ex)
        {
            PendingJoin.Fail(chunk, ex);
            return [];
        }
    }

    private async Task RecordJoinedAsync(PendingJoin[] chunk, ComponentState state)
    {
        var rollbackId = state.ActiveRollbackId!;
        try
        {
            await audit.RecordJoinedTriggersAsync(rollbackId, [.. chunk.Select(call => call.Command.Trigger)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            PendingJoin.Fail(chunk, ex);
            return;
        }

        foreach (var call in chunk)
        {
            var trigger = call.Command.Trigger;
            LogJoined(logger, trigger.Source, trigger.TriggerId, rollbackId, state.Component);
            call.Answer.TrySetResult(new ComponentJoin(state, StartRollbackAnswers.Joined(state.Component, rollbackId)));
        }
    }

    private async Task AnswerRepeatAsync(PendingJoin call, TriggerBinding binding, ComponentState state)
    {
        try
        {
            call.Answer.TrySetResult(new ComponentJoin(state, await RepeatAsync(call.Command, binding, CancellationToken.None).ConfigureAwait(false)));
        }
        catch (Exception ex)
        {
            call.Answer.TrySetException(ex);
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Trigger {Source}/{TriggerId} joined active rollback {RollbackId} of {Component}")]
    private static partial void LogJoined(ILogger logger, TriggerSource source, string triggerId, string rollbackId, string component);

    /// <summary>The calls of one component waiting for their batch, and whether a drain is writing one now.</summary>
    private sealed class ComponentLane
    {
        private readonly Lock _gate = new();
        private List<PendingJoin> _waiting = [];
        private bool _draining;

        /// <summary>Join batches writing now, at most <see cref="MaxJoinWritesInFlight"/>.</summary>
        public SemaphoreSlim JoinWrites { get; } = new(MaxJoinWritesInFlight, MaxJoinWritesInFlight);

        /// <summary>Queues the call; true when no drain runs and the caller must start one.</summary>
        public bool Enqueue(PendingJoin call)
        {
            lock (_gate)
            {
                _waiting.Add(call);
                var start = !_draining;
                _draining = true;
                return start;
            }
        }

        /// <summary>Puts calls of a batch that were not answered back at the front, for the next batch.</summary>
        public void PutBack(IEnumerable<PendingJoin> calls)
        {
            lock (_gate)
            {
                _waiting.InsertRange(0, calls);
            }
        }

        /// <summary>Takes every waiting call as the next batch, or ends the drain when none waits.</summary>
        public bool TryTakeBatch(out List<PendingJoin> batch)
        {
            lock (_gate)
            {
                batch = _waiting;
                _waiting = [];
                _draining = batch.Count > 0;
                return _draining;
            }
        }
    }

    private sealed class PendingJoin(StartRollbackCommand command)
    {
        public StartRollbackCommand Command { get; } = command;

        public TaskCompletionSource<ComponentJoin> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static void Fail(IEnumerable<PendingJoin> calls, Exception exception)
        {
            foreach (var call in calls)
            {
                call.Answer.TrySetException(exception);
            }
        }

        /// <summary>Answers as the second delivery of <paramref name="first"/>'s trigger: a repeat of its rollback, or its error.</summary>
        public void AnswerAsRepeatOf(PendingJoin first)
        {
            var answer = first.Answer.Task;
            if (answer.Exception is { } failed)
            {
                Answer.TrySetException(failed.InnerExceptions);
            }
            else if (answer.IsCompletedSuccessfully && answer.Result is { Answer.RollbackId: { } rollbackId } join)
            {
                Answer.TrySetResult(new ComponentJoin(join.State, StartRollbackAnswers.Duplicate(Command.Trigger, rollbackId)));
            }
            else
            {
                Answer.TrySetException(new InvalidOperationException($"Trigger {Command.Trigger.Source}/{Command.Trigger.TriggerId} was not answered by its batch."));
            }
        }
    }
}
