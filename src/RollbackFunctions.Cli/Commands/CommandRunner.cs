using System.CommandLine;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.Timeout;
using RollbackFunctions.Cli.Api;

namespace RollbackFunctions.Cli.Commands;

/// <summary>
/// Runs a command's action with the API client its global options describe, and turns what can go wrong on the way
/// (no URL, no credential, an unreachable host, a refused sign-in) into the documented exit codes.
/// </summary>
public sealed class CommandRunner(CliHost host, GlobalOptions globals)
{
    public void Handle(Command command, Func<CommandSession, ParseResult, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, run, cancellationToken));
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
        var url = parse.GetValue(globals.Url) ?? host.Variable(GlobalOptions.UrlVariable);
        if (ApiConnection.ParseBaseUrl(url) is not { } baseUrl)
        {
            return (null, url is null
                ? $"give the app's URL with --url or {GlobalOptions.UrlVariable}."
                : $"'{url}' is not an http(s) URL.");
        }

        var key = NonEmpty(parse.GetValue(globals.Key) ?? host.Variable(GlobalOptions.KeyVariable));
        if (key is not null)
        {
            return (new ApiConnection(baseUrl, key, null, null), null);
        }

        var scope = NonEmpty(parse.GetValue(globals.Scope) ?? host.Variable(GlobalOptions.ScopeVariable));
        if (scope is null)
        {
            return (null, $"give a credential: a function key (--key or {GlobalOptions.KeyVariable}) or the Entra ID scope to sign in for (--scope or {GlobalOptions.ScopeVariable}).");
        }

        var choice = (parse.GetValue(globals.Credential) ?? host.Variable(GlobalOptions.CredentialVariable)) switch
        {
            null or "default" => CredentialChoice.Default,
            "azure-cli" => CredentialChoice.AzureCli,
            var other => (CredentialChoice?)null,
        };
        return choice is { } c
            ? (new ApiConnection(baseUrl, null, scope, host.Credential(c)), null)
            : (null, $"{GlobalOptions.CredentialVariable} must be 'default' or 'azure-cli'.");
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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
