using System.Globalization;

namespace RollbackFunctions.Cli.Output;

/// <summary>Elapsed time against the budget as a text bar, for output that is not a terminal (logs, pipes, CI).</summary>
public static class BudgetBar
{
    public static string Text(double elapsedSeconds, double budgetSeconds, int width = 30)
    {
        var ratio = budgetSeconds > 0 ? Math.Clamp(elapsedSeconds / budgetSeconds, 0, 1) : 1;
        var filled = (int)Math.Round(ratio * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "] "
            + (ratio * 100).ToString("0", CultureInfo.InvariantCulture).PadLeft(3) + "%  "
            + JsonFields.Seconds(elapsedSeconds) + " of " + JsonFields.Seconds(budgetSeconds);
    }
}
