using Spectre.Console;

namespace RollbackFunctions.Cli.Output;

/// <summary>
/// Where the CLI writes: <see cref="Output"/> for the API's JSON as returned (<c>--json</c>), <see cref="Ansi"/> for
/// tables and the live progress bar, <see cref="Error"/> for problems. Redirected output gets no colours and no
/// cursor moves, so scripts and logs read plain text.
/// </summary>
public sealed class CliConsole
{
    private const int RedirectedWidth = 240;

    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Output = output;
        Error = error;
        Interactive = interactive;
        Ansi = Create(output, interactive);
        AnsiError = Create(error, interactive);
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool Interactive { get; }

    public IAnsiConsole Ansi { get; }

    public IAnsiConsole AnsiError { get; }

    public static CliConsole FromProcess() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!interactive)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
