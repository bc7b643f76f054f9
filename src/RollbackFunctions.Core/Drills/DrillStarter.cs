namespace RollbackFunctions.Drills;

public enum DrillStartOutcome
{
    Started,
    UnknownComponent,
    NoDrillEnvironment,
}

public sealed record DrillStartResult(DrillStartOutcome Outcome, string? DrillId);

/// <summary>
/// Schedules a drill, on request or on schedule. Unlike a rollback it claims nothing: any number of drills may run
/// beside each other and beside a rollback, since a drill changes nothing of the component.
/// </summary>
public sealed partial class DrillStarter(IOptionsMonitor<RollbackOptions> options, TimeProvider time, ILogger<DrillStarter> logger)
{
    public const string ScheduleRequester = "schedule";

    public async Task<DrillStartResult> StartAsync(DurableTaskClient client, string component, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var current = options.CurrentValue;
        if (current.FindComponent(component) is not { } config)
        {
            return new DrillStartResult(DrillStartOutcome.UnknownComponent, null);
        }

        if (config.Drill is null)
        {
            return new DrillStartResult(DrillStartOutcome.NoDrillEnvironment, null);
        }

        var requestedAt = time.GetUtcNow();
        var drillId = DrillIds.New(component, requestedAt);

        // The reason a drill rehearses: a deployment whose verification failed, the trigger every rollback path serves.
        var trigger = new RollbackTrigger(TriggerReason.DeploymentVerificationFailed, TriggerSource.Drill, drillId, requestedAt, requestedBy,
            "Rollback drill against the drill environment");
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(DrillOrchestrator), new RollbackRequest(drillId, component, null, trigger, current.ToPolicy()),
            new StartOrchestrationOptions(drillId), cancellationToken).ConfigureAwait(false);
        LogStarted(logger, drillId, component, requestedBy);
        return new DrillStartResult(DrillStartOutcome.Started, drillId);
    }

    /// <summary>A drill of every component that has a drill environment (the drill schedule).</summary>
    public async Task<IReadOnlyList<string>> StartScheduledAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var started = new List<string>();
        foreach (var (component, config) in options.CurrentValue.Components.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (config.Drill is not null && (await StartAsync(client, component, ScheduleRequester, cancellationToken).ConfigureAwait(false)).DrillId is { } id)
            {
                started.Add(id);
            }
        }

        return started;
    }

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Drill {DrillId} of {Component} started, requested by {RequestedBy}")]
    private static partial void LogStarted(ILogger logger, string drillId, string component, string requestedBy);
}
