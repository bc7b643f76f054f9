namespace RollbackFunctions.Configuration;

/// <summary>A plain HTTP GET that must answer as expected a number of times in a row.</summary>
public sealed class ProbeOptions
{
    public string Name { get; set; } = "";

    public Uri? Url { get; set; }

    public int ExpectedStatus { get; set; } = 200;

    /// <summary>Text the body must contain (ordinal), when set.</summary>
    public string? BodyContains { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many passes in a row count as healthy.</summary>
    public int ConsecutivePasses { get; set; } = 1;

    /// <summary>Wait between attempts (a durable timer).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts before the probe is declared failed; the rollback's budget may end it sooner.</summary>
    public int MaxAttempts { get; set; } = 10;
}
