using Azure.Core;
using Azure.Identity;

namespace RollbackFunctions.Cli.Api;

public static class ApiCredentials
{
    public static TokenCredential Create(CredentialChoice choice) => choice switch
    {
        CredentialChoice.AzureCli => new AzureCliCredential(),
        _ => new DefaultAzureCredential(),
    };
}
