namespace RollbackFunctions.Cli.Api;

/// <summary>Which Entra ID credential signs the CLI in when no key is given (<c>--credential</c>).</summary>
public enum CredentialChoice
{
    /// <summary><c>DefaultAzureCredential</c>: environment, workload identity, managed identity, Visual Studio, Azure CLI, azd, PowerShell.</summary>
    Default,

    /// <summary><c>AzureCliCredential</c> only: the account of <c>az login</c>.</summary>
    AzureCli,
}
