using System.CommandLine;
using RollbackFunctions.Cli.Output;
using Spectre.Console;

namespace RollbackFunctions.Cli.Commands;

/// <summary><c>status</c> and <c>list</c>: "why was rollback executed, and to which version?"</summary>
public static class ReadCommands
{
    public static Command Status(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var id = CliCommands.RollbackId();
        var command = new Command("status", "Show a rollback: trigger, versions, phase, outcome and every step. Exits with the outcome's code (9 while it runs).") { id };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.GetRollbackAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false),
            (console, rollback) =>
            {
                RollbackRendering.WriteRollback(console, rollback);
                console.WriteLine(RollbackRendering.Summary(rollback));
            },
            rollback => ExitCodes.ForOutcome(rollback.Text("outcome"))).ConfigureAwait(false));
        return command;
    }

    public static Command List(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var component = new Option<string?>("--component") { Description = "Only this component's rollbacks." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (the API's default otherwise)." };
        var command = new Command("list", "List rollbacks, newest first.") { component, limit };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.ListRollbacksAsync(parse.GetValue(component), parse.GetValue(limit), cancellationToken).ConfigureAwait(false),
            RollbackRendering.WriteList,
            _ => ExitCodes.Ok).ConfigureAwait(false));
        return command;
    }
}
