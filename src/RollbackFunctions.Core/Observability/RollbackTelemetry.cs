using System.Diagnostics;

namespace RollbackFunctions.Observability;

/// <summary>Names shared by every span, metric and log of the app, so a query can follow one rollback end to end.</summary>
public static class RollbackTelemetry
{
    /// <summary>The ActivitySource and Meter name of the app's own spans and instruments.</summary>
    public const string SourceName = "RollbackFunctions";

    /// <summary>The Durable Task SDK's ActivitySource (orchestration, activity, timer and client spans).</summary>
    public const string DurableTaskSourceName = "Microsoft.DurableTask";

    public const string RollbackIdTag = "rollback.id";
    public const string ComponentTag = "rollback.component";
    public const string OutcomeTag = "rollback.outcome";
    public const string PhaseTag = "rollback.phase";
    public const string TriggerReasonTag = "rollback.trigger.reason";
    public const string TriggerSourceTag = "rollback.trigger.source";
    public const string RouteTag = "http.route";
    public const string StatusCodeTag = "http.response.status_code";

    /// <summary>Durable Task tags every span with the instance id; the rollback id is the instance id.</summary>
    public const string DurableInstanceIdTag = "durabletask.task.instance_id";

    public static readonly ActivitySource ActivitySource = new(SourceName, typeof(RollbackTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Marks the current span (and, through baggage, its in-process children) as belonging to a rollback.</summary>
    public static void TagRollback(string rollbackId, string? component = null)
    {
        var current = Activity.Current;
        if (current is null)
        {
            return;
        }

        current.SetTag(RollbackIdTag, rollbackId);
        current.SetBaggage(RollbackIdTag, rollbackId);
        if (component is not null)
        {
            current.SetTag(ComponentTag, component);
        }
    }

    /// <summary>A span for one step of the app's own work, tagged with the rollback it serves.</summary>
    public static Activity? StartStep(string name, string rollbackId, string? component = null, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = ActivitySource.StartActivity(name, kind);
        if (activity is not null)
        {
            activity.SetTag(RollbackIdTag, rollbackId);
            activity.SetBaggage(RollbackIdTag, rollbackId);
            if (component is not null)
            {
                activity.SetTag(ComponentTag, component);
            }
        }

        return activity;
    }
}
