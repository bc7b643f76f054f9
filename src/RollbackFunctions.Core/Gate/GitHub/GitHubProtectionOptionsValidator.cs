using System.Security.Cryptography;
using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Gate.GitHub;

/// <summary>Checks <c>Rollback:GitHubProtection</c> at start; each failure names the setting.</summary>
public sealed class GitHubProtectionOptionsValidator(IOptionsMonitor<RollbackOptions> rollback) : IValidateOptions<GitHubProtectionOptions>
{
    private const string Root = GitHubProtectionOptions.SectionName;

    /// <summary>GitHub's guidance: a random string of high entropy. Shorter than this is guessable.</summary>
    public const int MinimumSecretLength = 16;

    private static readonly TimeSpan GitHubWebhookTimeout = TimeSpan.FromSeconds(10);

    public ValidateOptionsResult Validate(string? name, GitHubProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.WebhookSecret) || options.WebhookSecret.Length < MinimumSecretLength)
        {
            failures.Add($"{Root}:WebhookSecret is required, at least {MinimumSecretLength} characters (the GitHub App's webhook secret; in Azure a Key Vault reference).");
        }

        if (!CredentialTransport.IsAllowed(options.ApiBaseUrl))
        {
            failures.Add($"{Root}:ApiBaseUrl must be an absolute https URL (http only for loopback), was '{options.ApiBaseUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.AppId))
        {
            failures.Add($"{Root}:AppId is required: the GitHub App that approves or rejects deployments.");
        }

        if (string.IsNullOrWhiteSpace(options.PrivateKey) || !IsRsaPem(options.PrivateKey))
        {
            failures.Add($"{Root}:PrivateKey is required: the GitHub App's RSA private key in PEM form (in Azure a Key Vault reference).");
        }

        if (options.Environments.Count == 0)
        {
            failures.Add($"{Root}:Environments must map at least one GitHub environment name to a component.");
        }

        foreach (var (environment, component) in options.Environments)
        {
            if (string.IsNullOrWhiteSpace(component) || rollback.CurrentValue.FindComponent(component) is null)
            {
                failures.Add($"{Root}:Environments:{environment} maps to component '{component}', which is not configured under Rollback:Components.");
            }
        }

        if (options.CallbackDeadline <= TimeSpan.Zero || options.CallbackDeadline >= GitHubWebhookTimeout)
        {
            failures.Add($"{Root}:CallbackDeadline must be positive and under GitHub's 10 s webhook timeout, was {options.CallbackDeadline}.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RetryBaseDelay < TimeSpan.Zero || options.MaxRetries < 0)
        {
            failures.Add($"{Root}:RequestTimeout must be positive, RetryBaseDelay and MaxRetries not negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsRsaPem(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
