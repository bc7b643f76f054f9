using System.CommandLine;

namespace RollbackFunctions.Cli.Commands;

/// <summary>The options every command takes.</summary>
public sealed class GlobalOptions
{
    /// <summary>The name confirm and unfreeze send as <c>operator</c> when <c>--operator</c> is not given.</summary>
    public const string OperatorVariable = "ROLLBACK_OPERATOR";

    public EnvironmentOption Url { get; } = new("--url", "ROLLBACK_URL", "The app's base URL, e.g. https://<app>.azurewebsites.net or http://127.0.0.1:7071");

    public EnvironmentOption Key { get; } = new("--key", "ROLLBACK_KEY", "A function key, sent as x-functions-key; without it the CLI signs in with Entra ID");

    public EnvironmentOption Scope { get; } = new("--scope", "ROLLBACK_SCOPE", "The Entra ID scope of the app's registration, e.g. api://<client-id>/.default");

    public EnvironmentOption Credential { get; } = new(
        "--credential", "ROLLBACK_CREDENTIAL", "Entra ID sign-in: 'default' (DefaultAzureCredential) or 'azure-cli' (az login only)", "default", "azure-cli");

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON as returned instead of tables.",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url.Option, Key.Option, Scope.Option, Credential.Option, Json];
}
