namespace RollbackFunctions.Readiness;

/// <summary>
/// R (trigger receipt to passed verification, section 7) over a component's most recent ended rollbacks. Percentiles
/// are nearest-rank over the rollbacks that reached verification; a rollback that ran out of time has no R and is
/// counted in <see cref="TimedOut"/>.
/// </summary>
/// <param name="Count">Ended rollbacks considered (at most <see cref="Window"/>).</param>
/// <param name="Measured">Of those, how many have an R.</param>
public sealed record RecoverySummary(int Count, int Measured, double? P50Seconds, double? P90Seconds, double? MaxSeconds, int TimedOut)
{
    /// <summary>How many of the newest rollbacks the summary covers.</summary>
    public const int Window = 20;

    public static RecoverySummary Of(IEnumerable<RollbackBrief> rollbacks)
    {
        ArgumentNullException.ThrowIfNull(rollbacks);
        var ended = rollbacks.Where(r => r.Phase.IsTerminal()).Take(Window).ToList();
        var times = ended.Where(r => r.RecoverySeconds is not null).Select(r => r.RecoverySeconds!.Value).Order().ToArray();
        return new RecoverySummary(
            ended.Count,
            times.Length,
            Percentile(times, 50),
            Percentile(times, 90),
            times.Length == 0 ? null : times[^1],
            ended.Count(r => r.Phase == RollbackPhase.TimedOut));
    }

    /// <summary>Nearest rank over values sorted ascending.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
