namespace RollbackFunctions.Intake;

/// <summary>
/// <c>POST /api/alerts</c>: an Azure Monitor action group webhook in the common alert schema. Fired starts or joins
/// the component's rollback (the alert id is the trigger id, so an action group's retries never start a second);
/// Resolved is recorded. It only schedules: the answer never waits for the orchestration.
/// </summary>
public sealed class AlertIntakeHandler(
    TriggerIntake triggers,
    SignalLog signals,
    FluentValidation.IValidator<AzureMonitorAlertBody> validator,
    IOptionsMonitor<RollbackOptions> options,
    TimeProvider time,
    ILogger<AlertIntakeHandler> logger)
{
    public async Task<IResult> ReceiveAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var (body, problem) = await RequestBody.ReadAsync(
            request, IntakeJsonContext.Default.AzureMonitorAlertBody, validator, "The alert is missing fields or has invalid ones: see 'errors'.", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var alert = AzureMonitorAlert.From(body);
        var rollback = options.CurrentValue;
        var (component, mappingProblem) = MapComponent(alert, rollback);
        if (mappingProblem is not null)
        {
            return mappingProblem;
        }

        if (alert.Condition == MonitorCondition.Resolved)
        {
            await signals.RecordAsync(component!, SignalLog.ResolvedAlert, alert.AlertId, new Dictionary<string, string?>
            {
                ["AlertId"] = alert.AlertId,
                ["AlertRule"] = alert.AlertRule,
                ["ResolvedAt"] = alert.ResolvedAt?.ToString("O"),
                ["Details"] = TriggerIntake.Clip(alert.Describe(), IntakeLimits.MaxLongText),
            }, cancellationToken).ConfigureAwait(false);
            IntakeLog.SignalRecorded(logger, SignalLog.ResolvedAlert, component!, alert.AlertId);
            return IntakeJson.Result(new AlertRecorded(alert.AlertId, component!, alert.Condition, "Recorded; a resolved alert starts nothing."));
        }

        var trigger = TriggerIntake.Trigger(
            alert.Reason ?? TriggerReason.HealthDegraded,
            TriggerSource.AzureMonitorAlert,
            alert.AlertId,
            receivedAt,
            "azure-monitor" + (alert.AlertRule is null ? "" : ":" + alert.AlertRule),
            alert.Describe(),
            alert.FiredAt);
        return await triggers.StartOrJoinAsResultAsync(client, new StartRollbackCommand(component!, null, trigger), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The custom property wins; otherwise the targets must map to exactly one configured component.</summary>
    private static (string? Component, IResult? Problem) MapComponent(AzureMonitorAlert alert, RollbackOptions options)
    {
        if (alert.Component is { } named)
        {
            return options.FindComponent(named) is null ? (null, Problems.UnknownComponent(named, "data.customProperties.component")) : (named, null);
        }

        var mapped = alert.TargetIds.Select(options.ComponentForResource).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (mapped.Count == 0)
        {
            return (null, Problems.Unprocessable(
                "The alert names no component: add the custom property 'component' to the alert rule's action group, or map one of its target resources under Rollback:AlertTargets.",
                new Dictionary<string, string[]> { ["data.essentials.alertTargetIDs"] = ["no target resource is mapped to a component."] }));
        }

        if (mapped.Count > 1)
        {
            return (null, Problems.Unprocessable(
                $"The alert's targets belong to several components ({string.Join(", ", mapped)}): give the alert rule the custom property 'component'.",
                new Dictionary<string, string[]> { ["data.essentials.alertTargetIDs"] = ["targets map to more than one component."] }));
        }

        return options.FindComponent(mapped[0]) is null ? (null, Problems.UnknownComponent(mapped[0], "data.essentials.alertTargetIDs")) : (mapped[0], null);
    }
}

public sealed record AlertRecorded(string AlertId, string Component, MonitorCondition MonitorCondition, string Message);
