using System.Text.Json;
using RollbackFunctions.Cli.Api;
using Spectre.Console;

namespace RollbackFunctions.Cli.Output;

/// <summary>An RFC 9457 problem as a person reads it: the status, the title, the detail and each field's errors.</summary>
public static class ProblemRendering
{
    public static void Write(IAnsiConsole console, ApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Json is not { ValueKind: JsonValueKind.Object } problem)
        {
            console.MarkupLine($"[red]error {answer.Status}[/]: {Markup.Escape(answer.Text.Length == 0 ? "(no body)" : answer.Text)}");
            return;
        }

        console.MarkupLine($"[red]error {answer.Status}[/]: {Markup.Escape(problem.Text("title") ?? "(no title)")}");
        if (problem.Text("detail") is { } detail)
        {
            console.MarkupLine($"  detail: {Markup.Escape(detail)}");
        }

        if (problem.Field("errors") is { ValueKind: JsonValueKind.Object } errors)
        {
            console.MarkupLine("  errors:");
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText())
                    : [field.Value.GetRawText()];
                foreach (var message in messages)
                {
                    console.MarkupLine($"    {Markup.Escape(field.Name)}: {Markup.Escape(message ?? string.Empty)}");
                }
            }
        }
    }
}
