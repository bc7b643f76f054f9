using RollbackFunctions.Observability;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Ends the rollback's hold on its component: a success makes the target current and known good; any other end
/// freezes the component until an operator unfreezes it with an incident reference and analysis (section 11), and an
/// end after automated verification passed (Unconfirmed, Aborted while awaiting confirmation) also makes the target
/// current, because it runs, but not known good. Both
/// are idempotent on a replay: a success changes versions only while the claim is still this rollback's, and a freeze
/// is not laid again once an operator lifted this rollback's freeze.
/// </summary>
/// <remarks>The one activity that runs once per end, so it also records the end's metrics (at least once).</remarks>
public sealed class SettleComponentActivity(ComponentStateStore components, RollbackAuditStore audit, RollbackMetrics metrics)
    : JournaledActivity<SettleComponentInput, SettleComponentResult>(audit, readsOnly: false)
{
    protected override async Task<SettleComponentResult> WorkAsync(SettleComponentInput input)
    {
        using var span = RollbackTelemetry.StartStep("rollback.settle", input.RollbackId, input.Component);
        span?.SetTag(RollbackTelemetry.OutcomeTag, input.Outcome.ToString());
        bool settled;
        if (input.Outcome == RollbackPhase.Succeeded && input.Version is not null)
        {
            await components.CompleteSucceededAsync(input.Component, input.RollbackId, input.Version, CancellationToken.None).ConfigureAwait(false);
            settled = true;
        }
        else
        {
            var state = await components.FreezeAsync(input.Component, input.RollbackId, input.Reason, input.RunningVersion, CancellationToken.None).ConfigureAwait(false);
            settled = state.IsFrozen;
        }

        metrics.RollbackEnded(input.Component, input.Outcome, input.RecoverySeconds, input.BudgetRemainingSeconds);
        return new SettleComponentResult(settled);
    }
}
