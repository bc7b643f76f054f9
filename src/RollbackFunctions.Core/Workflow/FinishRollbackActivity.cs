using Microsoft.DurableTask;
using RollbackFunctions.Incidents;
using RollbackFunctions.Observability;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Ends the rollback's hold on its component: a success makes the target current and known good; any other end
/// freezes the component until an operator unfreezes it with an incident reference and analysis (section 11).
/// Then, when asked, makes the incident's first delivery attempt (only once the component is frozen) and writes the
/// end's audit (so it says ended only once the component is settled): one dispatch instead of several.
/// </summary>
/// <remarks>The one activity that runs once per end, so it also records the end's metrics (at least once).</remarks>
public sealed class FinishRollbackActivity(
    ComponentStateStore components, RollbackAuditStore audit, IncidentNotifier notifier, RollbackMetrics metrics, TimeProvider time)
    : TaskActivity<FinishRollbackInput, FinishRollbackResult>
{
    public override async Task<FinishRollbackResult> RunAsync(TaskActivityContext context, FinishRollbackInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = RollbackTelemetry.StartStep("rollback.finish", input.RollbackId, input.Component);
        span?.SetTag(RollbackTelemetry.OutcomeTag, input.Outcome.ToString());
        bool settled;
        if (input.Succeeded && input.Version is not null)
        {
            await components.CompleteSucceededAsync(input.Component, input.RollbackId, input.Version, CancellationToken.None).ConfigureAwait(false);
            settled = true;
        }
        else
        {
            var state = await components.FreezeAsync(input.Component, input.RollbackId, input.Reason, CancellationToken.None).ConfigureAwait(false);
            settled = state.IsFrozen;
        }

        var escalation = input.EscalateAfter is { } incident
            ? await notifier.DeliverAsync(incident, CancellationToken.None).ConfigureAwait(false)
            : null;

        if (input.AuditAfter is { } end)
        {
            var summary = end.Summary is null ? null : end.Summary with { EndedAt = time.GetUtcNow() };
            await audit.RecordAsync(summary, end.Steps ?? [], end.WriteIndex, CancellationToken.None).ConfigureAwait(false);
        }

        metrics.RollbackEnded(input.Component, input.Outcome, input.RecoverySeconds, input.BudgetRemainingSeconds);
        return new FinishRollbackResult(settled, escalation);
    }
}
