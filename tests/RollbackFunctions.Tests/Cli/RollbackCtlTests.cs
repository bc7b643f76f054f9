using RollbackFunctions.Simulators;
using System.Collections.Concurrent;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Cli;
using RollbackFunctions.Cli.Api;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Cli;

/// <summary>
/// <c>rollbackctl</c> without the dev host: the command line's usage errors, an unreachable API, and the Entra ID
/// path (a credential's bearer token for the scope) against a loopback server that answers as the gate route does.
/// </summary>
public sealed class RollbackCtlTests
{
    [Theory]
    [InlineData("gate")]
    [InlineData("nonsense", "storefront")]
    [InlineData("abort", "rb-1")]
    [InlineData("list", "--limit", "many")]
    public async Task A_wrong_command_line_exits_Usage_and_calls_nothing(params string[] args)
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["ROLLBACK_URL"] = "http://127.0.0.1:1", ["ROLLBACK_KEY"] = "k" }, args);
        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("rollbackctl --help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_URL_or_no_credential_exits_Usage_and_says_which_setting_is_missing()
    {
        var noUrl = await CliRun.RunAsync(new Dictionary<string, string> { ["ROLLBACK_KEY"] = "k" }, "list");
        Assert.Equal(ExitCodes.Usage, noUrl.ExitCode);
        Assert.Contains("ROLLBACK_URL", noUrl.Error, StringComparison.Ordinal);

        var notHttp = await CliRun.RunAsync(new Dictionary<string, string> { ["ROLLBACK_KEY"] = "k" }, "list", "--url", "ftp://example");
        Assert.Equal(ExitCodes.Usage, notHttp.ExitCode);

        var noCredential = await CliRun.RunAsync(new Dictionary<string, string> { ["ROLLBACK_URL"] = "http://127.0.0.1:1" }, "list");
        Assert.Equal(ExitCodes.Usage, noCredential.ExitCode);
        Assert.Contains("ROLLBACK_SCOPE", noCredential.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_that_cannot_be_reached_exits_Unreachable()
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["ROLLBACK_URL"] = $"http://127.0.0.1:{Azurite.FreePort()}", ["ROLLBACK_KEY"] = "k" }, "gate", "storefront");
        Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
        Assert.Contains("cannot reach", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_it_sends_the_credentials_bearer_token_for_the_scope()
    {
        var seen = new ConcurrentQueue<string>();
        var builder = LoopbackWebApplication.CreateBuilder();
        await using var app = builder.Build();
        app.MapGet("/api/components/{component}/gate", (string component, HttpRequest request) =>
        {
            seen.Enqueue(request.Headers.Authorization.ToString());
            return request.Headers.Authorization == "Bearer token-for-api://rollback/.default"
                ? Results.Json(new { component, open = false, reason = "A rollback is active.", activeRollbackId = "rb-7" })
                : Results.Problem(title: "A valid bearer token is required.", statusCode: 401);
        });
        await app.StartAsync();
        var url = app.Urls.Single();

        var credential = new RecordingCredential();
        CredentialChoice? chosen = null;
        var env = new Dictionary<string, string> { ["ROLLBACK_URL"] = url, ["ROLLBACK_SCOPE"] = "api://rollback/.default" };
        var run = await CliRun.RunAsync(env, choice => { chosen = choice; return credential; }, "gate", "storefront", "--credential", "azure-cli");

        Assert.True(run.ExitCode == ExitCodes.GateClosed, run.ToString());
        Assert.Equal(CredentialChoice.AzureCli, chosen);
        Assert.Equal(["api://rollback/.default"], credential.Scopes);
        Assert.Equal(["Bearer token-for-api://rollback/.default"], seen);
        Assert.Contains("active rollback: rb-7", run.Output, StringComparison.Ordinal);

        var withKey = await CliRun.RunAsync(env, _ => throw new InvalidOperationException("a key needs no credential"), "gate", "storefront", "--key", "k");
        Assert.True(withKey.ExitCode == ExitCodes.NotAuthorized, withKey.ToString());
        Assert.Contains("error 401: A valid bearer token is required.", withKey.Error, StringComparison.Ordinal);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken("token-for-" + string.Join(' ', requestContext.Scopes), DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
