using System.Security.Cryptography;
using static RollbackFunctions.Deployment.Http.ProviderOptionsChecks;

namespace RollbackFunctions.Deployment.GitHubActions;

/// <summary>Checks every <c>Rollback:Providers:{name}:GitHub</c> entry at start: repository, workflow, and one way to authenticate.</summary>
public sealed class GitHubActionsOptionsValidator : DeploymentProviderEntriesValidator<GitHubActionsOptions>
{
    protected override void ValidateEntry(string path, GitHubActionsOptions settings, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(failures);
        SecureBaseUrl($"{path}:ApiBaseUrl", settings.ApiBaseUrl, failures);
        Required($"{path}:Owner", settings.Owner, failures);
        Required($"{path}:Repository", settings.Repository, failures);
        Required($"{path}:Workflow", settings.Workflow, failures);
        Required($"{path}:Ref", settings.Ref, failures);
        Required($"{path}:Inputs:RollbackId", settings.Inputs.RollbackId, failures);
        ValidateCredentials(path, settings, failures);
        Positive($"{path}:RunLookback", settings.RunLookback, failures);
        Positive($"{path}:RunDiscoveryTimeout", settings.RunDiscoveryTimeout, failures);
        CallLimits(path, settings, failures);
    }

    private static void ValidateCredentials(string path, GitHubActionsOptions settings, List<string> failures)
    {
        var hasToken = !string.IsNullOrWhiteSpace(settings.Token);
        if (hasToken && settings.UsesApp)
        {
            failures.Add($"{path}: set either Token or the GitHub App (AppId, InstallationId, PrivateKey), not both.");
        }
        else if (!hasToken && !settings.UsesApp)
        {
            failures.Add($"{path}:Token is required (a Key Vault reference in Azure), unless a GitHub App is configured with AppId, InstallationId and PrivateKey.");
        }
        else if (settings.UsesApp)
        {
            Required($"{path}:AppId", settings.AppId, failures);
            if (settings.InstallationId is not > 0)
            {
                failures.Add($"{path}:InstallationId is required for a GitHub App and must be a positive number.");
            }

            if (string.IsNullOrWhiteSpace(settings.PrivateKey))
            {
                failures.Add($"{path}:PrivateKey is required for a GitHub App (the app's PEM private key, a Key Vault reference in Azure).");
            }
            else if (!IsRsaPrivateKey(settings.PrivateKey))
            {
                failures.Add($"{path}:PrivateKey is not an RSA private key in PEM form.");
            }
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
