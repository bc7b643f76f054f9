using System.CommandLine;
using System.Text.Json;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.Timeout;
using RollbackFunctions.Cli.Api;
using Spectre.Console;

namespace RollbackFunctions.Cli.Commands;

/// <summary>
/// Runs a command's action with the API client its global options describe, and turns what can go wrong on the way
/// (no URL, no credential, an unreachable host, a refused sign-in) into the documented exit codes.
/// </summary>
public sealed class CommandRunner(CliHost host, GlobalOptions globals)
{
    /// <summary>A command that runs <paramref name="run"/> with a session on the API.</summary>
    public Command Define(string name, string description, IEnumerable<Symbol> symbols, Func<CommandSession, ParseResult, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                default: throw new ArgumentException($"{symbol.Name} is neither an argument nor an option.", nameof(symbols));
            }
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, run, cancellationToken));
        return command;
    }

    /// <summary>A command that makes one call and shows its answer (<see cref="CommandSession.AnswerAsync"/>).</summary>
    public Command Show(string name, string description, IEnumerable<Symbol> symbols, Func<RollbackApiClient, ParseResult, CancellationToken, Task<ApiAnswer>> call, Action<IAnsiConsole, JsonElement> render, Func<JsonElement, int> exitCode)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Define(name, description, symbols, async (session, parse, cancellationToken) =>
            await session.AnswerAsync(await call(session.Api, parse, cancellationToken).ConfigureAwait(false), render, exitCode).ConfigureAwait(false));
    }

    private async Task<int> RunAsync(ParseResult parse, Func<CommandSession, ParseResult, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var (connection, usage) = Connect(parse);
        if (connection is null)
        {
            await host.Console.Error.WriteLineAsync("rollbackctl: " + usage).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var services = Services(connection);
        var session = new CommandSession(services.GetRequiredService<RollbackApiClient>(), host.Console, parse.GetValue(globals.Json), host.Variable);
        try
        {
            return await run(session, parse, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await host.Console.Error.WriteLineAsync($"rollbackctl: cannot reach {connection.BaseUrl}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (AuthenticationFailedException e)
        {
            await host.Console.Error.WriteLineAsync($"rollbackctl: no Entra ID token for {connection.Scope}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.NotAuthorized;
        }
    }

    private (ApiConnection? Connection, string? Usage) Connect(ParseResult parse)
    {
        var url = globals.Url.Value(parse, host);
        if (ApiConnection.ParseBaseUrl(url) is not { } baseUrl)
        {
            return (null, url is null ? $"give the app's URL with {globals.Url.Name} or {globals.Url.Variable}." : $"'{url}' is not an http(s) URL.");
        }

        if (globals.Key.Value(parse, host) is { } key)
        {
            return (new ApiConnection(baseUrl, key, null, null), null);
        }

        if (globals.Scope.Value(parse, host) is not { } scope)
        {
            return (null, $"give a credential: a function key ({globals.Key.Name} or {globals.Key.Variable}) or the Entra ID scope to sign in for ({globals.Scope.Name} or {globals.Scope.Variable}).");
        }

        CredentialChoice? choice = globals.Credential.Value(parse, host) switch
        {
            null or "default" => CredentialChoice.Default,
            "azure-cli" => CredentialChoice.AzureCli,
            _ => null,
        };
        return choice is { } c
            ? (new ApiConnection(baseUrl, null, scope, host.Credential(c)), null)
            : (null, $"{globals.Credential.Variable} must be 'default' or 'azure-cli'.");
    }

    private static ServiceProvider Services(ApiConnection connection)
    {
        var services = new ServiceCollection();
        services.AddSingleton(connection);
        services.AddTransient<ApiAuthenticationHandler>();
        services.AddHttpClient<RollbackApiClient>(http => http.BaseAddress = connection.BaseUrl)
            .AddHttpMessageHandler<ApiAuthenticationHandler>()

            // Reads are retried on transient failures, briefly (a person is waiting); operator actions are sent once.
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.DisableForUnsafeHttpMethods();
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(500);
            });
        return services.BuildServiceProvider();
    }
}
