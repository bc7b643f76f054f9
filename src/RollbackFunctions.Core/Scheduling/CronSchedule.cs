using Cronos;

namespace RollbackFunctions.Scheduling;

/// <summary>
/// A cron expression of the configuration (five fields, or six with seconds first, in UTC). Both hosts tick often and
/// ask whether an occurrence fell due since shortly before: a tick that came late still runs the occurrence, and the
/// occurrence's claim (<see cref="ScheduleClaims"/>) makes it run once.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    public string Text { get; }

    /// <summary>Null for an empty setting (the schedule is off); throws <see cref="CronFormatException"/> for a bad one.</summary>
    public static CronSchedule? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var format = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return new CronSchedule(trimmed, CronExpression.Parse(trimmed, format));
    }

    /// <summary>Why <paramref name="text"/> is not a schedule, or null when it is one (or empty: off).</summary>
    public static string? Check(string? text)
    {
        try
        {
            Parse(text);
            return null;
        }
        catch (CronFormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The latest occurrence in (<paramref name="now"/> - <paramref name="lookback"/>, <paramref name="now"/>], or null.</summary>
    public DateTimeOffset? LatestDue(DateTimeOffset now, TimeSpan lookback) =>
        _expression.GetOccurrences(now - lookback, now, TimeZoneInfo.Utc, fromInclusive: false, toInclusive: true).Cast<DateTimeOffset?>().LastOrDefault();
}
