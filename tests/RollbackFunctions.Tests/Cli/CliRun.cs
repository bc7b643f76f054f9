using System.Text.Json;
using Azure.Core;
using RollbackFunctions.Cli;
using RollbackFunctions.Cli.Api;
using RollbackFunctions.Cli.Output;

namespace RollbackFunctions.Tests.Cli;

/// <summary>One run of <c>rollbackctl</c> in-process through its entry method, as the process would run it, with its
/// console captured and its environment given (never the test process's own).</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";

    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        await RunAsync(environment, _ => throw new InvalidOperationException("This run has no Entra ID credential."), args);

    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, Func<CredentialChoice, TokenCredential> credential, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost(new CliConsole(output, error, interactive: false), name => environment.TryGetValue(name, out var value) ? value : null, credential);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var exitCode = await RollbackCtl.RunAsync(args, host, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>ROLLBACK_URL and ROLLBACK_KEY of a host, as an operator's shell would set them.</summary>
    public static Dictionary<string, string> Environment(Uri baseUrl, string key) => new()
    {
        ["ROLLBACK_URL"] = baseUrl.ToString(),
        ["ROLLBACK_KEY"] = key,
        ["ROLLBACK_OPERATOR"] = "alice",
    };
}
