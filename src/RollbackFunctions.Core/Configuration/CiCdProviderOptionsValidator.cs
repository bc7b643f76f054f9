using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RollbackFunctions.Deployment.AzureDevOps;
using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Configuration;

/// <summary>
/// Refuses to start with a GitHub Actions or Azure DevOps provider entry that could never deploy, or any provider entry
/// (the generic one too) whose call limits make no sense; each message names the setting to fix (e.g.
/// <c>Rollback:Providers:web:GitHub:Owner</c>) and never shows a secret's value.
/// </summary>
public sealed class CiCdProviderOptionsValidator : IValidateOptions<RollbackOptions>
{
    public ValidateOptionsResult Validate(string? name, RollbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (providerName, entry) in options.Providers)
        {
            var path = $"{RollbackOptions.SectionName}:Providers:{providerName}";
            switch (entry.Type)
            {
                case DeploymentProviderType.GitHubActions:
                    ValidateGitHub($"{path}:GitHub", entry.GitHub, failures);
                    break;
                case DeploymentProviderType.AzureDevOps:
                    ValidateAzureDevOps($"{path}:AzureDevOps", entry.AzureDevOps, failures);
                    break;
                case DeploymentProviderType.Generic:
                    ValidateHttp($"{path}:Generic", entry.Generic, failures);
                    break;
                default:
                    break;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateGitHub(string path, GitHubActionsOptions github, List<string> failures)
    {
        ValidateBaseUrl($"{path}:ApiBaseUrl", github.ApiBaseUrl, failures);
        Required($"{path}:Owner", github.Owner, failures);
        Required($"{path}:Repository", github.Repository, failures);
        Required($"{path}:Workflow", github.Workflow, failures);
        Required($"{path}:Ref", github.Ref, failures);
        Required($"{path}:Inputs:RollbackId", github.Inputs.RollbackId, failures);

        var hasToken = !string.IsNullOrWhiteSpace(github.Token);
        if (hasToken && github.UsesApp)
        {
            failures.Add($"{path}: set either Token or the GitHub App (AppId, InstallationId, PrivateKey), not both.");
        }
        else if (!hasToken && !github.UsesApp)
        {
            failures.Add($"{path}:Token is required (a Key Vault reference in Azure), unless a GitHub App is configured with AppId, InstallationId and PrivateKey.");
        }
        else if (github.UsesApp)
        {
            Required($"{path}:AppId", github.AppId, failures);
            if (github.InstallationId is not > 0)
            {
                failures.Add($"{path}:InstallationId is required for a GitHub App and must be a positive number.");
            }

            if (string.IsNullOrWhiteSpace(github.PrivateKey))
            {
                failures.Add($"{path}:PrivateKey is required for a GitHub App (the app's PEM private key, a Key Vault reference in Azure).");
            }
            else if (!IsRsaPrivateKey(github.PrivateKey))
            {
                failures.Add($"{path}:PrivateKey is not an RSA private key in PEM form.");
            }
        }

        Positive($"{path}:RunLookback", github.RunLookback, failures);
        Positive($"{path}:RunDiscoveryTimeout", github.RunDiscoveryTimeout, failures);
        ValidateHttp(path, github, failures);
    }

    private static void ValidateAzureDevOps(string path, AzureDevOpsOptions devOps, List<string> failures)
    {
        if (devOps.OrganizationUrl is not null)
        {
            ValidateBaseUrl($"{path}:OrganizationUrl", devOps.OrganizationUrl, failures);
        }
        else if (string.IsNullOrWhiteSpace(devOps.Organization))
        {
            failures.Add($"{path}:Organization is required (or {path}:OrganizationUrl).");
        }

        Required($"{path}:Project", devOps.Project, failures);
        if (devOps.PipelineId <= 0)
        {
            failures.Add($"{path}:PipelineId is required and must be a positive number (the pipeline definition id).");
        }

        Required($"{path}:Branch", devOps.Branch, failures);
        Required($"{path}:Parameters:RollbackId", devOps.Parameters.RollbackId, failures);
        if (!string.IsNullOrWhiteSpace(devOps.ManagedIdentityClientId) && !Guid.TryParse(devOps.ManagedIdentityClientId, out _))
        {
            failures.Add($"{path}:ManagedIdentityClientId must be the managed identity's client id (a GUID).");
        }

        ValidateHttp(path, devOps, failures);
    }

    private static void ValidateHttp(string path, CiCdHttpOptions http, List<string> failures)
    {
        if (http.RequestTimeout <= TimeSpan.Zero || http.RequestTimeout > RollbackOptions.MaxBudget)
        {
            failures.Add($"{path}:RequestTimeout must be positive and at most {RollbackOptions.MaxBudget}.");
        }

        if (http.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{path}:RetryBaseDelay must not be negative.");
        }

        if (http.MaxRetries is < 0 or > ProviderResilience.MaxRetryAttempts)
        {
            failures.Add($"{path}:MaxRetries must be between 0 and {ProviderResilience.MaxRetryAttempts}.");
        }
    }

    private static void ValidateBaseUrl(string path, Uri? url, List<string> failures)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            failures.Add($"{path} must be an absolute URL.");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            // Tokens travel in the Authorization header: plain HTTP is accepted for a local test server only.
            failures.Add($"{path} must use https (plain http only for a loopback test server).");
        }
    }

    private static void Required(string path, string? value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{path} is required.");
        }
    }

    private static void Positive(string path, TimeSpan value, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{path} must be positive.");
        }
    }

    private static bool IsRsaPrivateKey(string pem)
    {
        try
        {
            using var rsa = GitHubAppJwt.LoadPrivateKey(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
