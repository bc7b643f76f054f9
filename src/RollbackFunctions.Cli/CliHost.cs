using Azure.Core;
using RollbackFunctions.Cli.Api;
using RollbackFunctions.Cli.Output;

namespace RollbackFunctions.Cli;

/// <summary>
/// What the CLI takes from its process: the console, environment variables and the Entra ID credential. Tests run
/// the CLI in-process with their own.
/// </summary>
public sealed record CliHost(CliConsole Console, Func<string, string?> Variable, Func<CredentialChoice, TokenCredential> Credential)
{
    public static CliHost FromProcess() => new(CliConsole.FromProcess(), Environment.GetEnvironmentVariable, ApiCredentials.Create);
}
