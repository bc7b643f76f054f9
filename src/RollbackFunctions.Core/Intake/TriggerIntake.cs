using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

/// <summary>The one path from any trigger handler to <see cref="IRollbackStarter"/>, with the same logging and answers.</summary>
public sealed class TriggerIntake(IRollbackStarter starter, ILogger<TriggerIntake> logger)
{
    public async Task<StartRollbackResult> StartOrJoinAsync(DurableTaskClient client, StartRollbackCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = await starter.StartOrJoinAsync(client, command, cancellationToken).ConfigureAwait(false);
        var trigger = command.Trigger;
        if (result.RollbackId is not null)
        {
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
