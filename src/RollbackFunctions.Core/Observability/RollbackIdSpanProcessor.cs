using System.Diagnostics;
using OpenTelemetry;

namespace RollbackFunctions.Observability;

/// <summary>
/// Puts <c>rollback.id</c> on every span that belongs to a rollback: spans of the Durable Task SDK carry the instance
/// id (which is the rollback id), and outbound HTTP spans inherit it from their parent's baggage. One processor
/// instead of tagging at every call site means a new activity or provider cannot forget it.
/// </summary>
public sealed class RollbackIdSpanProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rollbackId = data.GetTagItem(RollbackTelemetry.RollbackIdTag) as string
            ?? data.GetBaggageItem(RollbackTelemetry.RollbackIdTag)
            ?? data.GetTagItem(RollbackTelemetry.DurableInstanceIdTag) as string
            ?? data.Parent?.GetTagItem(RollbackTelemetry.RollbackIdTag) as string;
        if (rollbackId is not null)
        {
            data.SetTag(RollbackTelemetry.RollbackIdTag, rollbackId);
        }
    }

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // Durable Task sets the instance id after the span starts on some paths; catch it at the end too.
        if (data.GetTagItem(RollbackTelemetry.RollbackIdTag) is null && data.GetTagItem(RollbackTelemetry.DurableInstanceIdTag) is string instanceId)
        {
            data.SetTag(RollbackTelemetry.RollbackIdTag, instanceId);
        }
    }
}
