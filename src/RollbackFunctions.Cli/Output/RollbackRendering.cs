using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace RollbackFunctions.Cli.Output;

/// <summary>A rollback (API.md "Reading") as tables: why, from and to which version, how it ended, and every step.</summary>
public static class RollbackRendering
{
    public static void WriteRollback(IAnsiConsole console, JsonElement rollback)
    {
        ArgumentNullException.ThrowIfNull(console);
        var grid = Fields();
        Row(grid, "rollback", rollback.Text("rollbackId"));
        Row(grid, "component", rollback.Text("component"));
        if (rollback.Field("trigger") is { } trigger)
        {
            Row(grid, "trigger", $"{trigger.Text("reason")} from {trigger.Text("source")} ({trigger.Text("requestedBy")}) at {trigger.Time("receivedAt")}");
            Row(grid, "details", trigger.Text("details"));
        }

        Row(grid, "from", rollback.Text("fromVersion"));
        Row(grid, "target", Join(rollback.Text("targetVersion"), rollback.Text("targetArtifact")));
        Row(grid, "phase", rollback.Text("phase"));
        Row(grid, "outcome", Join(rollback.Text("outcome"), rollback.Text("outcomeReason")));
        Row(grid, "started", rollback.Time("startedAt"));
        Row(grid, "deadline", rollback.Time("deadline"));
        Row(grid, "elapsed", $"{JsonFields.Seconds(rollback.Number("elapsedSeconds"))} of {JsonFields.Seconds(rollback.Number("budgetSeconds"))}");
        Row(grid, "R", rollback.Number("recoverySeconds") is { } r ? JsonFields.Seconds(r) : null);
        Row(grid, "confirmed", rollback.Text("confirmedBy") is { } by ? $"by {by} at {rollback.Time("confirmedAt")}" : null);
        if (rollback.Field("escalation") is { } escalation)
        {
            Row(grid, "escalated", $"at {escalation.Time("at")}, delivered {escalation.Text("delivered")}");
        }

        console.Write(grid);
        var receivedAt = ReceivedAt(rollback);
        foreach (var step in rollback.Items("timeline"))
        {
            console.WriteLine(StepLine(step, receivedAt));
        }
    }

    /// <summary>When the trigger arrived: the budget's start, from which every step is timed.</summary>
    public static DateTimeOffset? ReceivedAt(JsonElement rollback) =>
        rollback.Field("trigger")?.Text("receivedAt") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>One timeline step as a line, as <c>watch</c> prints them when they happen.</summary>
    public static string StepLine(JsonElement step, DateTimeOffset? receivedAt)
    {
        var offset = receivedAt is { } start && step.Text("at") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? "+" + (at - start).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(7) + " s"
            : string.Empty;
        var detail = step.Text("detail") is { } d ? "  " + d : string.Empty;
        return $"{offset}  {step.Text("phase"),-20} {step.Text("name"),-38} {step.Text("status"),-8}{detail}";
    }

    /// <summary>The line <c>watch</c> and <c>status</c> end on.</summary>
    public static string Summary(JsonElement rollback)
    {
        var outcome = rollback.Text("outcome");
        var versions = $"{rollback.Text("fromVersion") ?? "?"} -> {rollback.Text("targetVersion") ?? "?"}";
        return outcome is null
            ? $"{rollback.Text("component")} {versions}: {rollback.Text("phase")} after {JsonFields.Seconds(rollback.Number("elapsedSeconds"))}"
            : $"{rollback.Text("component")} {versions}: {outcome} after {JsonFields.Seconds(rollback.Number("elapsedSeconds"))}"
              + (rollback.Number("recoverySeconds") is { } r ? $" (R {JsonFields.Seconds(r)})" : string.Empty)
              + (rollback.Text("outcomeReason") is { } why ? $": {why}" : string.Empty);
    }

    public static void WriteList(IAnsiConsole console, JsonElement list)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Simple).AddColumns("rollback", "component", "reason", "from", "target", "phase", "started", "elapsed", "R");
        foreach (var rollback in list.Items("rollbacks"))
        {
            table.AddRow(Cells(
                rollback.Text("rollbackId"), rollback.Text("component"), rollback.Field("trigger")?.Text("reason"),
                rollback.Text("fromVersion"), rollback.Text("targetVersion"), rollback.Text("phase"), rollback.Time("startedAt"),
                JsonFields.Seconds(rollback.Number("elapsedSeconds")), rollback.Number("recoverySeconds") is { } r ? JsonFields.Seconds(r) : null));
        }

        console.Write(table);
        console.MarkupLine($"{table.Rows.Count} rollback(s)");
    }

    /// <summary>A two-column grid of labelled fields, labels unwrapped.</summary>
    internal static Grid Fields() => new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();

    internal static void Row(Grid grid, string label, string? value)
    {
        if (value is not null)
        {
            grid.AddRow(new Text(label), new Text(value));
        }
    }

    internal static Text[] Cells(params string?[] values) => [.. values.Select(v => new Text(v ?? "-"))];

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : $"{first}  {second}";
}
