using RollbackFunctions.Incidents;

namespace RollbackFunctions.Workflow;

/// <summary>
/// One delivery attempt of the incident escalation (section 11). The workflow retries with durable timers and records
/// a delivery that still fails; it never unfreezes anything. The incident carries the rollback id as its idempotency
/// key, so a repeated attempt is dropped by the receiver.
/// </summary>
public sealed class EscalateIncidentActivity(IncidentNotifier notifier, RollbackAuditStore audit)
    : JournaledActivity<EscalateIncidentInput, IncidentDeliveryResult>(audit, readsOnly: false)
{
    protected override Task<IncidentDeliveryResult> WorkAsync(EscalateIncidentInput input) =>
        notifier.DeliverAsync(input.Incident, CancellationToken.None);
}
