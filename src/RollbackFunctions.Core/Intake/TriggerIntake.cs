using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;
using RollbackFunctions.Observability;

namespace RollbackFunctions.Intake;

/// <summary>
/// The one path from any trigger handler to <see cref="IRollbackStarter"/>, with the same logging and answers.
/// Retries are the common case of an alert storm (action groups retry, Event Grid redelivers), so concurrent and
/// repeated deliveries of one trigger id share one call to the starter and later repeats are answered from memory.
/// That is safe because a trigger id, once bound to a rollback, stays bound; the starter's Table-backed binding
/// remains the authority across instances.
/// </summary>
public sealed class TriggerIntake(IRollbackStarter starter, RollbackMetrics metrics, ILogger<TriggerIntake> logger)
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<(string, TriggerSource, string), Lazy<Task<StartRollbackResult>>> _inFlight = new();
    private readonly ConcurrentDictionary<(string, TriggerSource, string), string> _bound = new();

    public async Task<StartRollbackResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var trigger = command.Trigger;
        var key = (command.Component, trigger.Source, trigger.TriggerId);
        if (_bound.TryGetValue(key, out var known))
        {
            return new StartRollbackResult(StartRollbackOutcome.Duplicate, known, $"Trigger {trigger.Source}/{trigger.TriggerId} already belongs to rollback {known}.");
        }

        var call = new Lazy<Task<StartRollbackResult>>(() => starter.StartOrJoinAsync(client, command, CancellationToken.None));
        var shared = _inFlight.GetOrAdd(key, call);
        StartRollbackResult result;
        try
        {
            result = await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(shared, call))
            {
                _inFlight.TryRemove(new KeyValuePair<(string, TriggerSource, string), Lazy<Task<StartRollbackResult>>>(key, call));
            }
        }

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

        return result;
    }

    public async Task<IResult> StartOrJoinAsResultAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = await StartOrJoinAsync(client, command, cancellationToken).ConfigureAwait(false);
        return RollbackStartResults.ToHttpResult(result, command.Component);
    }

    /// <summary>Shortens free text from outside to what the audit keeps.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static RollbackTrigger Trigger(TriggerReason reason, TriggerSource source, string triggerId, DateTimeOffset receivedAt, string requestedBy, string? details) =>
        new(reason, source, triggerId, receivedAt, Clip(requestedBy, IntakeLimits.MaxShortText), details is null ? null : Clip(details, IntakeLimits.MaxLongText));
}
