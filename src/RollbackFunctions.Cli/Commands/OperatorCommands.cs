using System.CommandLine;
using RollbackFunctions.Cli.Output;
using Spectre.Console;

namespace RollbackFunctions.Cli.Commands;

/// <summary><c>confirm</c>, <c>unfreeze</c> and <c>abort</c>: the operator's actions (API.md "Operator actions").</summary>
public static class OperatorCommands
{
    public static Command Confirm(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var id = CliCommands.RollbackId();
        var note = new Option<string?>("--note") { Description = "What you checked." };
        var @operator = CliCommands.OperatorOption();
        var command = new Command("confirm", "Confirm that availability is restored (section 8) for a rollback awaiting confirmation.") { id, note, @operator };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.ConfirmAsync(parse.GetValue(id)!, session.Operator(parse.GetValue(@operator)), parse.GetValue(note), cancellationToken).ConfigureAwait(false),
            (console, confirmed) => console.MarkupLine(
                $"confirmed {Markup.Escape(confirmed.Text("rollbackId") ?? string.Empty)} as {Markup.Escape(confirmed.Text("confirmedBy") ?? string.Empty)} at {Markup.Escape(confirmed.Time("confirmedAt") ?? string.Empty)}"),
            _ => ExitCodes.Ok).ConfigureAwait(false));
        return command;
    }

    public static Command Unfreeze(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var component = CliCommands.Component();
        var incident = new Option<string>("--incident-ref") { Description = "The incident the failed rollback was analysed in.", Required = true };
        var analysis = new Option<string>("--analysis") { Description = "What went wrong and why another rollback is safe now.", Required = true };
        var @operator = CliCommands.OperatorOption();
        var command = new Command("unfreeze", "Unfreeze a component after a failed rollback (section 11), with the incident and its analysis.") { component, incident, analysis, @operator };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.UnfreezeAsync(parse.GetValue(component)!, session.Operator(parse.GetValue(@operator)), parse.GetValue(incident)!, parse.GetValue(analysis)!, cancellationToken).ConfigureAwait(false),
            ComponentRendering.WriteComponent,
            _ => ExitCodes.Ok).ConfigureAwait(false));
        return command;
    }

    public static Command Abort(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var id = CliCommands.RollbackId();
        var reason = new Option<string>("--reason") { Description = "Why the rollback is stopped (kept in the audit).", Required = true };
        var command = new Command("abort", "Stop a rollback in flight: nothing more is deployed, the outcome is Aborted (escalates and freezes). 3 when it already ended (409).") { id, reason };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.AbortAsync(parse.GetValue(id)!, parse.GetValue(reason)!, cancellationToken).ConfigureAwait(false),
            (console, aborted) => console.MarkupLine(
                $"abort requested for {Markup.Escape(aborted.Text("rollbackId") ?? parse.GetValue(id)!)}: {Markup.Escape(aborted.Text("phase") ?? aborted.Text("outcome") ?? "accepted")}"),
            _ => ExitCodes.Ok).ConfigureAwait(false));
        return command;
    }
}
