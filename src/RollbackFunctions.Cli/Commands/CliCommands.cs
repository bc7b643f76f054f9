using System.CommandLine;

namespace RollbackFunctions.Cli.Commands;

/// <summary>The command tree of <c>rollbackctl</c>.</summary>
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

        root.Subcommands.Add(ReadCommands.Status(runner));
        root.Subcommands.Add(ReadCommands.List(runner));
        root.Subcommands.Add(WatchCommand.Create(runner));
        root.Subcommands.Add(ComponentCommands.Plan(runner));
        root.Subcommands.Add(ComponentCommands.Readiness(runner));
        root.Subcommands.Add(ComponentCommands.Gate(runner));
        root.Subcommands.Add(OperatorCommands.Confirm(runner));
        root.Subcommands.Add(OperatorCommands.Unfreeze(runner));
        root.Subcommands.Add(OperatorCommands.Abort(runner));
        return root;
    }

    internal static Argument<string> RollbackId() => new("rollbackId") { Description = "The rollback's id (from the trigger's answer or 'rollbackctl list')." };

    internal static Argument<string> Component() => new("component") { Description = "A configured component, e.g. storefront." };

    internal static Option<string?> OperatorOption() => new("--operator")
    {
        Description = $"Who acts (env {GlobalOptions.OperatorVariable}, else the OS user); with Entra ID it must be the signed-in identity.",
    };
}
