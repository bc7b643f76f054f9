namespace RollbackFunctions.Workflow.Reconciliation;

/// <summary>How often the reconciler looks for abandoned rollbacks, and how long a claim may wait for its orchestration.</summary>
public sealed class ReconcilerOptions
{
    public const string SectionName = "Rollback:Reconciler";

    /// <summary>Between two passes. API.md: an abandoned rollback is ended within a minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claim may stay unscheduled before it counts as left by a crash between claim and schedule; also the
    /// slack past a running rollback's last possible end before it counts as stuck.
    /// </summary>
    public TimeSpan ClaimGrace { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class ReconcilerOptionsValidator : IValidateOptions<ReconcilerOptions>
{
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxGrace = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, ReconcilerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Interval <= TimeSpan.Zero || options.Interval > MaxInterval)
        {
            failures.Add($"{ReconcilerOptions.SectionName}:Interval must be more than zero and at most {MaxInterval} (abandoned rollbacks end within a minute).");
        }

        if (options.ClaimGrace <= TimeSpan.Zero || options.ClaimGrace > MaxGrace)
        {
            failures.Add($"{ReconcilerOptions.SectionName}:ClaimGrace must be more than zero and at most {MaxGrace} (with the interval, within a minute).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
