using System.Text.Json;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

public enum MonitorCondition
{
    Fired,
    Resolved,
}

/// <summary>The fields intake uses from an Azure Monitor common alert schema payload.</summary>
/// <param name="Component">From the alert rule's custom property <c>component</c>, when set.</param>
/// <param name="Reason">From the custom property <c>reason</c>, when set; otherwise an alert means HealthDegraded.</param>
public sealed record AzureMonitorAlert(
    string AlertId,
    MonitorCondition Condition,
    string? AlertRule,
    string? Severity,
    string? SignalType,
    IReadOnlyList<string> TargetIds,
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt,
    string? Description,
    string? Component,
    TriggerReason? Reason)
{
    public const string SchemaId = "azureMonitorCommonAlertSchema";

    /// <summary>Parses and validates; null with <paramref name="errors"/> filled when the payload is not usable.</summary>
    public static AzureMonitorAlert? Parse(JsonElement root, FieldErrors errors, out bool wrongSchema)
    {
        ArgumentNullException.ThrowIfNull(errors);
        wrongSchema = false;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "must be a JSON object in the Azure Monitor common alert schema.");
            wrongSchema = true;
            return null;
        }

        if (!JsonFields.TryGet(root, "schemaId", out var schema) || schema.ValueKind != JsonValueKind.String || schema.GetString() != SchemaId)
        {
            errors.Add("schemaId", $"must be '{SchemaId}'.");
            wrongSchema = true;
            return null;
        }

        var data = JsonFields.ObjectField(root, "data", "", required: true, errors);
        var essentials = data is { } dataObject ? JsonFields.ObjectField(dataObject, "essentials", "data", required: true, errors) : null;
        if (essentials is not { } e)
        {
            return null;
        }

        const string ep = "data.essentials";
        var alertId = JsonFields.Text(e, "alertId", ep, TextRule.Reference, required: true, errors);
        var condition = JsonFields.Enum<MonitorCondition>(e, "monitorCondition", ep, required: true, errors);
        var rule = Descriptive(e, "alertRule", ep, errors);
        var severity = Descriptive(e, "severity", ep, errors);
        var signalType = Descriptive(e, "signalType", ep, errors);
        var description = Descriptive(e, "description", ep, errors);
        var firedAt = JsonFields.Timestamp(e, "firedDateTime", ep, errors);
        var resolvedAt = JsonFields.Timestamp(e, "resolvedDateTime", ep, errors);

        var targets = new List<string>();
        if (JsonFields.TryGet(e, "alertTargetIDs", out var targetArray))
        {
            if (targetArray.ValueKind != JsonValueKind.Array)
            {
                errors.Add(ep + ".alertTargetIDs", "must be an array of resource ids.");
            }
            else
            {
                var i = 0;
                foreach (var target in targetArray.EnumerateArray())
                {
                    var path = $"{ep}.alertTargetIDs[{i++}]";
                    if (target.ValueKind != JsonValueKind.String)
                    {
                        errors.Add(path, "must be a string.");
                    }
                    else if (JsonFields.Check(target.GetString()!, TextRule.Reference) is { } problem)
                    {
                        errors.Add(path, problem);
                    }
                    else
                    {
                        targets.Add(target.GetString()!);
                    }
                }
            }
        }

        string? component = null;
        TriggerReason? reason = null;
        if (JsonFields.TryGet(data!.Value, "customProperties", out var custom))
        {
            if (custom.ValueKind != JsonValueKind.Object)
            {
                errors.Add("data.customProperties", "must be an object.");
            }
            else
            {
                component = JsonFields.Text(custom, "component", "data.customProperties", TextRule.ComponentName, required: false, errors);
                reason = JsonFields.Enum<TriggerReason>(custom, "reason", "data.customProperties", required: false, errors);
            }
        }

        return errors.IsEmpty
            ? new AzureMonitorAlert(alertId!, condition!.Value, rule, severity, signalType, targets, firedAt, resolvedAt, description, component, reason)
            : null;
    }

    /// <summary>Optional text shown to operators: an empty string counts as absent; control characters are refused.</summary>
    private static string? Descriptive(JsonElement obj, string name, string prefix, FieldErrors errors)
    {
        if (JsonFields.TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
        {
            return null;
        }

        return JsonFields.Text(obj, name, prefix, TextRule.LongText, required: false, errors);
    }

    public string Describe()
    {
        var what = $"Azure Monitor alert '{AlertRule ?? AlertId}'";
        var how = string.Join(", ", new[] { Severity, SignalType }.Where(s => s is not null));
        var when = Condition == MonitorCondition.Fired ? FiredAt : ResolvedAt;
        var text = $"{what}{(how.Length > 0 ? $" ({how})" : "")} {Condition.ToString().ToLowerInvariant()}"
            + (when is { } at ? $" at {at:O}" : "")
            + (TargetIds.Count > 0 ? $" on {string.Join(", ", TargetIds)}" : "")
            + (Description is null ? "." : $": {Description}");
        return text;
    }
}
