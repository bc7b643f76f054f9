using System.Text.Json;
using Spectre.Console;
using static RollbackFunctions.Cli.Output.RollbackRendering;

namespace RollbackFunctions.Cli.Output;

/// <summary>The component-level answers as tables: the rollback plan, the gate, readiness and the component view.</summary>
public static class ComponentRendering
{
    public static void WriteGate(IAnsiConsole console, JsonElement gate)
    {
        ArgumentNullException.ThrowIfNull(console);
        var open = gate.Flag("open") == true;
        console.MarkupLine($"{Markup.Escape(gate.Text("component") ?? "?")}: gate {(open ? "[green]open[/]" : "[red]closed[/]")}: {Markup.Escape(gate.Text("reason") ?? string.Empty)}");
        if (gate.Text("activeRollbackId") is { } active)
        {
            console.MarkupLine($"  active rollback: {Markup.Escape(active)}");
        }

        if (gate.Time("frozenSince") is { } since)
        {
            console.MarkupLine($"  frozen since: {Markup.Escape(since)}");
        }
    }

    public static void WritePlan(IAnsiConsole console, JsonElement plan)
    {
        ArgumentNullException.ThrowIfNull(console);
        var target = plan.Field("target") is { } t
            ? $"{t.Text("version")}  {t.Text("artifact")} ({t.Text("status")}, schema {t.Text("schemaVersion") ?? "-"})"
            : null;
        var grid = Fields();
        Row(grid, "component", plan.Text("component"));
        Row(grid, "current", plan.Text("currentVersion"));
        Row(grid, "target", target);

        Row(grid, "provider", plan.Text("providerName"));
        Row(grid, "accepted", plan.Flag("accepted") == true ? "yes: a rollback now would deploy the target" : $"no: {plan.Text("rejectionReason")}");
        console.Write(grid);
        var table = new Table().Border(TableBorder.Simple).AddColumns("precondition", "result", "why");
        foreach (var check in plan.Items("preconditions"))
        {
            table.AddRow(Cells(check.Text("name"), check.Flag("passed") == true ? "pass" : "FAIL", check.Text("reason")));
        }

        console.Write(table);
    }

    /// <summary>Readiness of every component; tolerant of the answer being an array or an object with a list.</summary>
    public static void WriteReadiness(IAnsiConsole console, IReadOnlyList<JsonElement> components)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(components);
        var table = new Table().Border(TableBorder.Simple).AddColumns("component", "ready", "target or why not", "gate", "last rollback", "R p50/p90/max", "last drill");
        foreach (var c in components)
        {
            var ready = c.Flag("ready") == true;
            var target = c.Field("target") is { } t ? (t.ValueKind == JsonValueKind.Object ? t.Text("version") : t.ToString()) : null;
            var why = ready ? target : FailingPrecondition(c) ?? c.Text("reason");
            var gate = c.Field("gate") is { } g ? (g.Flag("open") == true ? "open" : "closed") : null;
            var last = c.Field("lastRollback") is { } l ? $"{l.Text("outcome")} {JsonFields.Seconds(l.Number("recoverySeconds"))}" : null;
            var stats = c.Field("recovery") ?? c.Field("r") ?? c.Field("recoveryStats");
            var spread = stats is { } s ? $"{JsonFields.Seconds(s.Number("p50"))} / {JsonFields.Seconds(s.Number("p90"))} / {JsonFields.Seconds(s.Number("max"))}" : null;
            var drill = c.Field("lastDrill") is { } d ? $"{d.Text("outcome")} {d.Time("at") ?? d.Time("endedAt") ?? string.Empty}".Trim() : null;
            table.AddRow(Cells(c.Text("component"), ready ? "yes" : "NO", why, gate, last, spread, drill));
        }

        console.Write(table);
    }

    public static IReadOnlyList<JsonElement> ReadinessComponents(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Array ? [.. answer.EnumerateArray()] : [.. answer.Items("components")];

    public static void WriteComponent(IAnsiConsole console, JsonElement component)
    {
        ArgumentNullException.ThrowIfNull(console);
        var grid = Fields();
        Row(grid, "component", component.Text("component"));
        Row(grid, "current", component.Text("currentVersion"));
        Row(grid, "last known good", component.Text("lastKnownGoodVersion"));
        Row(grid, "frozen", component.Flag("frozen") == true ? "yes" : "no");
        if (component.Field("lastUnfreeze") is { } unfreeze)
        {
            Row(grid, "unfrozen", $"by {unfreeze.Text("operator")} at {unfreeze.Time("at")} ({unfreeze.Text("incidentRef")})");
        }

        console.Write(grid);
    }

    private static string? FailingPrecondition(JsonElement component) => component.Field("failingPrecondition") switch
    {
        { ValueKind: JsonValueKind.Object } p => $"{p.Text("name")}: {p.Text("reason")}",
        { } p => p.ToString(),
        null => null,
    };
}
