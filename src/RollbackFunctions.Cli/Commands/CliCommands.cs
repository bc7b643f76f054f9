using System.CommandLine;
using RollbackFunctions.Cli.Output;
using Spectre.Console;

namespace RollbackFunctions.Cli.Commands;

/// <summary>The command tree of <c>rollbackctl</c>: one call of API.md each, shown as a table or as its JSON.</summary>
public static class CliCommands
{
    public static RootCommand Create(CliHost host)
    {
        var globals = new GlobalOptions();
        var runner = new CommandRunner(host, globals);
        var root = new RootCommand(
            "rollbackctl: operate RollbackFunctions from a terminal or a script. Exit codes: 0 ok/Succeeded/gate open, "
            + "2 usage, 3 API error, 4 not found, 5 not authorized, 6 unreachable, 7 not ready, 8 gate closed, 9 in progress, "
            + "10 Failed, 11 TimedOut, 12 Rejected, 13 Unconfirmed, 14 Aborted.");
        foreach (var option in globals.All)
        {
            root.Options.Add(option);
        }

        Command[] commands =
        [
            Status(runner), List(runner), WatchCommand.Create(runner), Plan(runner), Readiness(runner), Gate(runner),
            Confirm(runner), Unfreeze(runner), Abort(runner),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    internal static Argument<string> RollbackId() => new("rollbackId") { Description = "The rollback's id (from the trigger's answer or 'rollbackctl list')." };

    private static Argument<string> Component() => new("component") { Description = "A configured component, e.g. storefront." };

    private static Option<string?> Operator() => new("--operator")
    {
        Description = $"Who acts (env {GlobalOptions.OperatorVariable}); optional: the service records the signed-in identity or the key's name, and refuses a name that is not it.",
    };

    private static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    private static Command Status(CommandRunner runner)
    {
        var id = RollbackId();
        return runner.Show(
            "status", "Show a rollback: trigger, versions, phase, outcome and every step. Exits with the outcome's code (9 while it runs).", [id],
            (api, parse, cancellationToken) => api.GetRollbackAsync(parse.GetValue(id)!, cancellationToken),
            (console, rollback) =>
            {
                RollbackRendering.WriteRollback(console, rollback);
                console.WriteLine(RollbackRendering.Summary(rollback));
            },
            rollback => ExitCodes.ForOutcome(rollback.Text("outcome")));
    }

    private static Command List(CommandRunner runner)
    {
        var component = new Option<string?>("--component") { Description = "Only this component's rollbacks." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (the API's default otherwise)." };
        return runner.Show(
            "list", "List rollbacks, newest first.", [component, limit],
            (api, parse, cancellationToken) => api.ListRollbacksAsync(parse.GetValue(component), parse.GetValue(limit), cancellationToken),
            RollbackRendering.WriteList,
            _ => ExitCodes.Ok);
    }

    private static Command Plan(CommandRunner runner)
    {
        var component = Component();
        var target = new Option<string?>("--target-version") { Description = "Plan a rollback to this version instead of the one the service would choose." };
        return runner.Show(
            "plan", "Dry run: the target a rollback would choose now and each precondition. Exits 0 when it would be accepted, 12 when rejected.", [component, target],
            (api, parse, cancellationToken) => api.GetRollbackPlanAsync(parse.GetValue(component)!, parse.GetValue(target), cancellationToken),
            ComponentRendering.WritePlan,
            plan => plan.Flag("accepted") == true ? ExitCodes.Ok : ExitCodes.Rejected);
    }

    private static Command Readiness(CommandRunner runner) => runner.Show(
        "readiness", "Every component's readiness: would a rollback now be accepted, and its recent R. Exits 0 when all are ready, 7 otherwise.", [],
        (api, _, cancellationToken) => api.GetReadinessAsync(cancellationToken),
        (console, readiness) => ComponentRendering.WriteReadiness(console, ComponentRendering.ReadinessComponents(readiness)),
        readiness => ComponentRendering.ReadinessComponents(readiness).All(c => c.Flag("ready") == true) ? ExitCodes.Ok : ExitCodes.NotReady);

    private static Command Gate(CommandRunner runner)
    {
        var component = Component();
        return runner.Show(
            "gate", "The deployment gate of a component. Exits 0 when open, 8 when closed (a rollback is active or the component is frozen).", [component],
            (api, parse, cancellationToken) => api.GetGateAsync(parse.GetValue(component)!, cancellationToken),
            ComponentRendering.WriteGate,
            gate => gate.Flag("open") == true ? ExitCodes.Ok : ExitCodes.GateClosed);
    }

    private static Command Confirm(CommandRunner runner)
    {
        var (id, note, who) = (RollbackId(), new Option<string?>("--note") { Description = "What you checked." }, Operator());
        return runner.Define(
            "confirm", "Confirm that availability is restored (section 8) for a rollback awaiting confirmation.", [id, note, who],
            async (session, parse, cancellationToken) => await session.AnswerAsync(
                await session.Api.ConfirmAsync(parse.GetValue(id)!, session.Operator(parse.GetValue(who)), parse.GetValue(note), cancellationToken).ConfigureAwait(false),
                (console, confirmed) => console.MarkupLine(Markup.Escape(
                    $"confirmed {confirmed.Text("rollbackId")} as {confirmed.Text("confirmedBy")} at {confirmed.Time("confirmedAt")}")),
                _ => ExitCodes.Ok).ConfigureAwait(false));
    }

    private static Command Unfreeze(CommandRunner runner)
    {
        var component = Component();
        var incident = Required("--incident-ref", "The incident the failed rollback was analysed in.");
        var analysis = Required("--analysis", "What went wrong and why another rollback is safe now.");
        var who = Operator();
        return runner.Define(
            "unfreeze", "Unfreeze a component after a failed rollback (section 11), with the incident and its analysis.", [component, incident, analysis, who],
            async (session, parse, cancellationToken) => await session.AnswerAsync(
                await session.Api.UnfreezeAsync(parse.GetValue(component)!, session.Operator(parse.GetValue(who)), parse.GetValue(incident)!, parse.GetValue(analysis)!, cancellationToken).ConfigureAwait(false),
                ComponentRendering.WriteComponent,
                _ => ExitCodes.Ok).ConfigureAwait(false));
    }

    private static Command Abort(CommandRunner runner)
    {
        var id = RollbackId();
        var reason = Required("--reason", "Why the rollback is stopped (kept in the audit).");
        return runner.Show(
            "abort", "Stop a rollback in flight: nothing more is deployed, the outcome is Aborted (escalates and freezes). 3 when it already ended (409).", [id, reason],
            (api, parse, cancellationToken) => api.AbortAsync(parse.GetValue(id)!, parse.GetValue(reason)!, cancellationToken),
            (console, aborted) => console.WriteLine($"abort requested for {aborted.Text("rollbackId") ?? "the rollback"}: {aborted.Text("phase") ?? aborted.Text("outcome") ?? "accepted"}"),
            _ => ExitCodes.Ok);
    }
}
