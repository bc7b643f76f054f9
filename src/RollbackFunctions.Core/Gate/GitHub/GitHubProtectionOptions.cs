using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Gate.GitHub;

/// <summary>
/// <c>Rollback:GitHubProtection</c>: the GitHub App whose custom deployment protection rule asks the gate. The
/// webhook secret and the private key are secrets: in Azure both are Key Vault references in app settings, never plain
/// values. Absent section: the protection rule is off.
/// </summary>
public sealed class GitHubProtectionOptions : CiCdHttpOptions
{
    public const string SectionName = "Rollback:GitHubProtection";

    public GitHubProtectionOptions()
    {
        // The whole answer has to fit in GitHub's 10 s webhook timeout: short attempts, few retries.
        RequestTimeout = TimeSpan.FromSeconds(3);
        RetryBaseDelay = TimeSpan.FromMilliseconds(250);
        MaxRetries = 2;
    }

    /// <summary>The App's webhook secret, checked against <c>X-Hub-Signature-256</c>. Secret: never logged.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The REST API root the callbacks and the installation token go to; a callback URL elsewhere is refused.</summary>
    public Uri ApiBaseUrl { get; set; } = GitHubActionsOptions.DefaultApiBaseUrl;

    /// <summary>GitHub App id (or client id): the JWT issuer for the installation token.</summary>
    public string? AppId { get; set; }

    /// <summary>The GitHub App's private key, PEM. Secret: never logged.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>GitHub environment name (case-insensitive, as GitHub treats it) to the component its deployments change.</summary>
    public Dictionary<string, string> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the token exchange and the callback may take together, inside GitHub's 10 s webhook timeout.</summary>
    public TimeSpan CallbackDeadline { get; set; } = TimeSpan.FromSeconds(8);

    public bool IsEnabled => !string.IsNullOrEmpty(WebhookSecret) || !string.IsNullOrEmpty(AppId) || Environments.Count > 0;

    /// <summary>The component a GitHub environment deploys, or null when none is configured for it.</summary>
    public string? ComponentFor(string environment)
    {
        foreach (var (name, component) in Environments)
        {
            if (string.Equals(name, environment, StringComparison.OrdinalIgnoreCase))
            {
                return component;
            }
        }

        return null;
    }
}
