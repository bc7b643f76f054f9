namespace RollbackFunctions.Scheduling;

/// <summary><c>Rollback:Drills:Schedule</c> and <c>Rollback:Readiness:Schedule</c>: cron expressions in UTC; empty is off.</summary>
public sealed class ScheduleOptions
{
    public const string DrillsSection = "Rollback:Drills";
    public const string ReadinessSection = "Rollback:Readiness";

    /// <summary>Named options: <see cref="DrillsSection"/> or <see cref="ReadinessSection"/>.</summary>
    public string? Schedule { get; set; }
}

public sealed class ScheduleOptionsValidator : IValidateOptions<ScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, ScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CronSchedule.Check(options.Schedule) is { } invalid
            ? ValidateOptionsResult.Fail($"{name}:Schedule '{options.Schedule}' is not a cron expression (five fields, or six with seconds; UTC): {invalid}")
            : ValidateOptionsResult.Success;
    }
}
