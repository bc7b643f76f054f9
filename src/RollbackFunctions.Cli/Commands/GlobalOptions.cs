using System.CommandLine;

namespace RollbackFunctions.Cli.Commands;

/// <summary>The options every command takes; each falls back to an environment variable so scripts set them once.</summary>
public sealed class GlobalOptions
{
    public const string UrlVariable = "ROLLBACK_URL";
    public const string KeyVariable = "ROLLBACK_KEY";
    public const string ScopeVariable = "ROLLBACK_SCOPE";
    public const string CredentialVariable = "ROLLBACK_CREDENTIAL";
    public const string OperatorVariable = "ROLLBACK_OPERATOR";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The app's base URL, e.g. https://<app>.azurewebsites.net or http://127.0.0.1:7071 (env {UrlVariable}).",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"A function key, sent as x-functions-key (env {KeyVariable}). Without it the CLI signs in with Entra ID.",
        Recursive = true,
    };

    public Option<string?> Scope { get; } = new("--scope")
    {
        Description = $"The Entra ID scope of the app's registration, e.g. api://<client-id>/.default (env {ScopeVariable}).",
        Recursive = true,
    };

    public Option<string?> Credential { get; } = CreateCredentialOption();

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON as returned instead of tables.",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url, Key, Scope, Credential, Json];

    private static Option<string?> CreateCredentialOption()
    {
        var option = new Option<string?>("--credential")
        {
            Description = $"Entra ID sign-in: 'default' (DefaultAzureCredential) or 'azure-cli' (az login only) (env {CredentialVariable}).",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("default", "azure-cli");
        return option;
    }
}
