using System.CommandLine;
using RollbackFunctions.Cli.Output;

namespace RollbackFunctions.Cli.Commands;

/// <summary><c>plan</c>, <c>readiness</c> and <c>gate</c>: what a rollback would do, and whether a deployment may go ahead.</summary>
public static class ComponentCommands
{
    public static Command Plan(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var component = CliCommands.Component();
        var target = new Option<string?>("--target-version") { Description = "Plan a rollback to this version instead of the one the service would choose." };
        var command = new Command("plan", "Dry run: the target a rollback would choose now and each precondition. Exits 0 when it would be accepted, 12 when rejected.") { component, target };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.GetRollbackPlanAsync(parse.GetValue(component)!, parse.GetValue(target), cancellationToken).ConfigureAwait(false),
            ComponentRendering.WritePlan,
            plan => plan.Flag("accepted") == true ? ExitCodes.Ok : ExitCodes.Rejected).ConfigureAwait(false));
        return command;
    }

    public static Command Readiness(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var command = new Command("readiness", "Every component's readiness: would a rollback now be accepted, and its recent R. Exits 0 when all are ready, 7 otherwise.");
        runner.Handle(command, async (session, _, cancellationToken) => await session.AnswerAsync(
            await session.Api.GetReadinessAsync(cancellationToken).ConfigureAwait(false),
            (console, readiness) => ComponentRendering.WriteReadiness(console, ComponentRendering.ReadinessComponents(readiness)),
            readiness => ComponentRendering.ReadinessComponents(readiness).All(c => c.Flag("ready") == true) ? ExitCodes.Ok : ExitCodes.NotReady).ConfigureAwait(false));
        return command;
    }

    public static Command Gate(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var component = CliCommands.Component();
        var command = new Command("gate", "The deployment gate of a component. Exits 0 when open, 8 when closed (a rollback is active or the component is frozen).") { component };
        runner.Handle(command, async (session, parse, cancellationToken) => await session.AnswerAsync(
            await session.Api.GetGateAsync(parse.GetValue(component)!, cancellationToken).ConfigureAwait(false),
            ComponentRendering.WriteGate,
            gate => gate.Flag("open") == true ? ExitCodes.Ok : ExitCodes.GateClosed).ConfigureAwait(false));
        return command;
    }
}
