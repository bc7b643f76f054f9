using System.Collections.Concurrent;
using RollbackFunctions.Notifications;
using RollbackFunctions.Observability;
using RollbackFunctions.Trust;

namespace RollbackFunctions.Intake;

/// <summary>
/// The one path from any trigger handler to <see cref="IRollbackStarter"/>, with the same logging and answers.
/// Retries are the common case of an alert storm (action groups retry, Event Grid redelivers), so concurrent and
/// repeated deliveries of one trigger id share one call to the starter and later repeats are answered from memory.
/// That is safe because a trigger id, once bound to a rollback, stays bound; the starter's Table-backed binding
/// remains the authority across instances. Before anything starts or joins, <see cref="TriggerAdmissionGate"/> judges
/// the trigger (API.md "Trust rules"): Stale and Cooldown triggers start nothing, for every source alike.
/// </summary>
public sealed class TriggerIntake(
    IRollbackStarter starter, TriggerAdmissionGate admission, NotificationScheduler notifications, RollbackMetrics metrics, TimeProvider time, ILogger<TriggerIntake> logger)
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<(string, TriggerSource, string), Lazy<Task<TriggerIntakeResult>>> _inFlight = new();
    private readonly ConcurrentDictionary<(string, TriggerSource, string), string> _bound = new();

    public async Task<TriggerIntakeResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var trigger = command.Trigger;
        var key = (command.Component, trigger.Source, trigger.TriggerId);
        if (_bound.TryGetValue(key, out var known))
        {
            return new TriggerIntakeResult(new StartRollbackResult(StartRollbackOutcome.Duplicate, known, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {known}."));
        }

        var call = new Lazy<Task<TriggerIntakeResult>>(() => AdmitThenStartAsync(client, command));
        var shared = _inFlight.GetOrAdd(key, call);
        TriggerIntakeResult answer;
        try
        {
            answer = await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(shared, call))
            {
                _inFlight.TryRemove(new KeyValuePair<(string, TriggerSource, string), Lazy<Task<TriggerIntakeResult>>>(key, call));
            }
        }

        if (answer.Refusal is { } refusal)
        {
            metrics.TriggerReceived(command.Component, trigger.Source, refusal.Outcome.ToString());
            IntakeLog.TriggerRefused(logger, trigger.Source.ToString(), trigger.TriggerId, command.Component, refusal.Outcome.ToString(), refusal.Reason);
            return answer;
        }

        var result = answer.Start!;

        if (!ReferenceEquals(shared, call) && result.RollbackId is not null)
        {
            // Another delivery of the same trigger did the work: to this one it is a repeat.
            result = result with { Outcome = StartRollbackOutcome.Duplicate };
        }

        if (result.RollbackId is { } rollbackId)
        {
            if (_bound.Count >= MaxRemembered)
            {
                _bound.Clear();
            }

            _bound[key] = rollbackId;
        }
        metrics.TriggerReceived(command.Component, trigger.Source, result.Outcome.ToString());
        if (result.RollbackId is not null)
        {
            // The intake request's span (and the log scope below it) joins the rollback's trace by its id.
            RollbackTelemetry.TagRollback(result.RollbackId, command.Component);
            IntakeLog.TriggerAccepted(logger, trigger.Source.ToString(), trigger.TriggerId, command.Component, result.Outcome.ToString(), result.RollbackId);
        }
        else
        {
            IntakeLog.TriggerRefused(logger, trigger.Source.ToString(), trigger.TriggerId, command.Component, result.Outcome.ToString(), result.Reason);
        }

        return new TriggerIntakeResult(result);
    }

    /// <summary>Alerts and events: a refusal is <c>200 {outcome, reason, ...}</c> (delivered, recorded, not to be retried); pipelines: <c>409</c>.</summary>
    public async Task<IResult> StartOrJoinAsResultAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var answer = await StartOrJoinAsync(client, command, cancellationToken).ConfigureAwait(false);
        return answer.Refusal is { } refusal ? RefusalResult(refusal) : RollbackStartResults.ToHttpResult(answer.Start!, command.Component);
    }

    private async Task<TriggerIntakeResult> AdmitThenStartAsync(DurableTaskClient client, StartRollbackCommand command)
    {
        if (await admission.CheckAsync(command.Component, command.Trigger, CancellationToken.None).ConfigureAwait(false) is { } refusal)
        {
            // Stale and Cooldown tell the channels (keys in LifecycleNotifications.Refused: a redelivery notifies once).
            await notifications.ScheduleAsync(client, LifecycleNotifications.Refused(refusal, time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
            return new TriggerIntakeResult(null, refusal);
        }

        return new TriggerIntakeResult(await starter.StartOrJoinAsync(client, command, CancellationToken.None).ConfigureAwait(false));
    }

    private static IResult RefusalResult(TriggerRefusal refusal)
    {
        var statusUri = refusal.RollbackId is { } id ? RollbackStartResults.StatusUri(id) : null;
        if (refusal.Source != TriggerSource.Pipeline)
        {
            return IntakeJson.Result(new TriggerRefused(
                refusal.Outcome, refusal.Component, refusal.Source, refusal.TriggerId, refusal.ObservedAt, refusal.RollbackId, statusUri, refusal.Reason));
        }

        return Problems.Conflict(
            refusal.Outcome == AdmissionOutcome.Cooldown
                ? $"No rollback of {refusal.Component} was started: rollback {refusal.RollbackId} restored it within the cooldown."
                : $"No rollback of {refusal.Component} was started: the trigger is {refusal.Outcome}.",
            refusal.Reason,
            new Dictionary<string, object?> { ["outcome"] = refusal.Outcome.ToString(), ["component"] = refusal.Component, ["rollbackId"] = refusal.RollbackId, ["statusUri"] = statusUri });
    }

    /// <summary>Shortens free text from outside to what the audit keeps.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <param name="observedAt">When the evidence was observed (an alert's firedDateTime, an event's time); null for pipelines.</param>
    public static RollbackTrigger Trigger(
        TriggerReason reason, TriggerSource source, string triggerId, DateTimeOffset receivedAt, string requestedBy, string? details, DateTimeOffset? observedAt = null) =>
        new(reason, source, triggerId, receivedAt, Clip(requestedBy, IntakeLimits.MaxShortText), details is null ? null : Clip(details, IntakeLimits.MaxLongText), observedAt);
}

/// <summary>What became of a trigger: started or joined (or refused by the starter), or refused by admission.</summary>
/// <param name="Start">The starter's answer; null when admission refused the trigger.</param>
/// <param name="Refusal">Why admission refused it (Stale, Cooldown); null when it went to the starter.</param>
public sealed record TriggerIntakeResult(StartRollbackResult? Start, TriggerRefusal? Refusal = null)
{
    public string Outcome => Refusal?.Outcome.ToString() ?? Start!.Outcome.ToString();

    public string? RollbackId => Refusal?.RollbackId ?? Start?.RollbackId;
}

/// <summary>The <c>200</c> answer to an alert or event that admission refused: delivered and recorded, nothing started.</summary>
public sealed record TriggerRefused(
    AdmissionOutcome Outcome, string Component, TriggerSource Source, string TriggerId, DateTimeOffset? ObservedAt, string? RollbackId, string? StatusUri, string Reason);
