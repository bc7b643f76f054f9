using System.Net.Http.Headers;

namespace RollbackFunctions.Deployment.GitHubActions;

/// <summary>What GitHub's REST API asks of every client: the provider's and the deployment protection rule's.</summary>
internal static class GitHubRestClient
{
    /// <summary>GitHub's REST API version the app speaks.</summary>
    public const string ApiVersion = "2022-11-28";

    public static void Configure(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RollbackFunctions", "1.0"));
    }
}
