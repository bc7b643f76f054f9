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
        if (FindRollbackId(data) is { } rollbackId)
        {
            data.SetTag(RollbackTelemetry.RollbackIdTag, rollbackId);
        }
    }

    /// <summary>The span's own tags or baggage, else the nearest in-process ancestor's (Durable Task tags its spans with the instance id).</summary>
    private static string? FindRollbackId(Activity span)
    {
        var current = span;
        for (var depth = 0; current is not null && depth < 16; depth++, current = current.Parent)
        {
            if ((current.GetTagItem(RollbackTelemetry.RollbackIdTag) ?? current.GetTagItem(RollbackTelemetry.DurableInstanceIdTag)) is string id)
            {
                return id;
            }
        }

        return span.GetBaggageItem(RollbackTelemetry.RollbackIdTag);
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
