using Microsoft.DurableTask;
using RollbackFunctions.Incidents;

namespace RollbackFunctions.Workflow;

/// <summary>
/// One delivery attempt of the incident escalation (section 11). The workflow retries with durable timers and records
/// a delivery that still fails; it never unfreezes anything.
/// </summary>
public sealed class EscalateIncidentActivity(IncidentNotifier notifier) : TaskActivity<EscalateIncidentInput, IncidentDeliveryResult>
{
    public override Task<IncidentDeliveryResult> RunAsync(TaskActivityContext context, EscalateIncidentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return notifier.DeliverAsync(input, CancellationToken.None);
    }
}
