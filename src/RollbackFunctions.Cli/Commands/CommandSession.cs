using System.Text.Json;
using RollbackFunctions.Cli.Api;
using RollbackFunctions.Cli.Output;
using Spectre.Console;

namespace RollbackFunctions.Cli.Commands;

/// <summary>One command's run: the API client, the console and whether the API's JSON is printed as returned.</summary>
public sealed class CommandSession(RollbackApiClient api, CliConsole console, bool json, Func<string, string?> variable)
{
    public RollbackApiClient Api { get; } = api;

    public CliConsole Console { get; } = console;

    public bool Json { get; } = json;

    /// <summary>
    /// The name confirm and unfreeze send as <c>operator</c>: <c>--operator</c>, else ROLLBACK_OPERATOR, else none. The
    /// service records the authenticated identity and refuses a name that is not it, so the OS user is never guessed.
    /// </summary>
    public string? Operator(string? given) => given ?? variable(GlobalOptions.OperatorVariable);

    /// <summary>
    /// Null for a success; otherwise prints the problem (its title, detail and field errors; with <c>--json</c> also
    /// the body as returned) and answers the exit code for its status.
    /// </summary>
    public async Task<int?> RefusedAsync(ApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.IsSuccess)
        {
            return null;
        }

        if (Json)
        {
            await WriteJsonAsync(answer).ConfigureAwait(false);
        }

        ProblemRendering.Write(Console.AnsiError, answer);
        return ExitCodes.ForStatus(answer.Status);
    }

    /// <summary>A success shown (the JSON as returned, or rendered) and its exit code; a refusal as <see cref="RefusedAsync"/>.</summary>
    public async Task<int> AnswerAsync(ApiAnswer answer, Action<IAnsiConsole, JsonElement> render, Func<JsonElement, int> exitCode)
    {
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(exitCode);
        if (await RefusedAsync(answer).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (Json)
        {
            await WriteJsonAsync(answer).ConfigureAwait(false);
        }
        else
        {
            render(Console.Ansi, answer.Body);
        }

        return exitCode(answer.Body);
    }

    public Task WriteJsonAsync(ApiAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Console.Output.WriteLineAsync(answer.Text);
    }
}
