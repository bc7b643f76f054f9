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
    /// <summary>The alert a valid <see cref="AzureMonitorAlertBody"/> describes.</summary>
    public static AzureMonitorAlert From(AzureMonitorAlertBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var e = body.Data!.Essentials!;
        var custom = body.Data.CustomProperties;
        return new AzureMonitorAlert(
            e.AlertId!,
            TextRules.ParseName<MonitorCondition>(e.MonitorCondition),
            AzureMonitorAlertBody.Blank(e.AlertRule),
            AzureMonitorAlertBody.Blank(e.Severity),
            AzureMonitorAlertBody.Blank(e.SignalType),
            [.. (e.AlertTargetIDs ?? []).OfType<string>()],
            e.FiredDateTime,
            e.ResolvedDateTime,
            AzureMonitorAlertBody.Blank(e.Description),
            custom?.Component,
            TextRules.NameOf<TriggerReason>(custom?.Reason));
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
