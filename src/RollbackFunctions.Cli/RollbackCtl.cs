using System.CommandLine;
using RollbackFunctions.Cli.Commands;

namespace RollbackFunctions.Cli;

/// <summary>The entry: parses the command line and runs one command; usage errors exit <see cref="ExitCodes.Usage"/>.</summary>
public static class RollbackCtl
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var root = CliCommands.Create(host);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = host.Console.Output, Error = host.Console.Error };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Console.Error.WriteLineAsync($"rollbackctl: {error.Message}").ConfigureAwait(false);
            }

            await host.Console.Error.WriteLineAsync("Run 'rollbackctl --help' for the commands and options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
