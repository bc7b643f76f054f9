using System.Security.Cryptography;
using RollbackFunctions.Deployment.Http;
using static RollbackFunctions.Deployment.Http.ProviderOptionsChecks;

namespace RollbackFunctions.Deployment.GitHubActions;

/// <summary>
/// <c>Rollback:Providers:{name}:GitHub</c>: a <c>workflow_dispatch</c> workflow that deploys one component at a given
/// artifact. Authenticate with <see cref="Token"/> (fine-grained token with Actions write) or a GitHub App
/// (<see cref="AppId"/>, <see cref="InstallationId"/>, <see cref="PrivateKey"/>); in Azure both come from Key Vault
/// references, never from plain settings.
/// </summary>
public sealed class GitHubActionsOptions : CiCdHttpOptions, IDeploymentProviderSettings
{
    public static DeploymentProviderType ProviderType => DeploymentProviderType.GitHubActions;

    public static string SectionName => "GitHub";

    public static readonly Uri DefaultApiBaseUrl = new("https://api.github.com/");

    /// <summary>The REST API root: GitHub.com by default, <c>https://{host}/api/v3/</c> for GitHub Enterprise Server.</summary>
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public string Owner { get; set; } = "";

    public string Repository { get; set; } = "";

    /// <summary>The workflow's file name (e.g. <c>rollback.yml</c>) or its numeric id.</summary>
    public string Workflow { get; set; } = "";

    /// <summary>The branch or tag whose workflow file runs (e.g. <c>main</c>).</summary>
    public string Ref { get; set; } = "main";

    /// <summary>A token with <c>actions:write</c> on the repository. Secret: never logged.</summary>
    public string? Token { get; set; }

    /// <summary>GitHub App id (or client id): the JWT issuer.</summary>
    public string? AppId { get; set; }

    public long? InstallationId { get; set; }

    /// <summary>The GitHub App's private key, PEM. Secret: never logged.</summary>
    public string? PrivateKey { get; set; }

    public GitHubWorkflowInputNames Inputs { get; set; } = new();

    /// <summary>Ask the dispatch to answer with the run id (GitHub.com); older GitHub Enterprise Server answers 204 and the run is found by name.</summary>
    public bool ReturnRunDetails { get; set; } = true;

    /// <summary>How far before the rollback's deadline runs are searched when looking for one already started.</summary>
    public TimeSpan RunLookback { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a dispatch that returned no run id, how long to look for the run by name before giving up for this attempt.</summary>
    public TimeSpan RunDiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool UsesApp => !string.IsNullOrEmpty(AppId) || InstallationId is not null || !string.IsNullOrEmpty(PrivateKey);

    public void Validate(string path, ICollection<string> failures)
    {
        SecureBaseUrl($"{path}:ApiBaseUrl", ApiBaseUrl, failures);
        Required($"{path}:Owner", Owner, failures);
        Required($"{path}:Repository", Repository, failures);
        Required($"{path}:Workflow", Workflow, failures);
        Required($"{path}:Ref", Ref, failures);
        Required($"{path}:Inputs:RollbackId", Inputs.RollbackId, failures);
        ValidateCredentials(path, failures);
        Positive($"{path}:RunLookback", RunLookback, failures);
        Positive($"{path}:RunDiscoveryTimeout", RunDiscoveryTimeout, failures);
        CallLimits(path, this, failures);
    }

    private void ValidateCredentials(string path, ICollection<string> failures)
    {
        var hasToken = !string.IsNullOrWhiteSpace(Token);
        if (hasToken && UsesApp)
        {
            failures.Add($"{path}: set either Token or the GitHub App (AppId, InstallationId, PrivateKey), not both.");
        }
        else if (!hasToken && !UsesApp)
        {
            failures.Add($"{path}:Token is required (a Key Vault reference in Azure), unless a GitHub App is configured with AppId, InstallationId and PrivateKey.");
        }
        else if (UsesApp)
        {
            Required($"{path}:AppId", AppId, failures);
            if (InstallationId is not > 0)
            {
                failures.Add($"{path}:InstallationId is required for a GitHub App and must be a positive number.");
            }

            if (string.IsNullOrWhiteSpace(PrivateKey))
            {
                failures.Add($"{path}:PrivateKey is required for a GitHub App (the app's PEM private key, a Key Vault reference in Azure).");
            }
            else if (!IsRsaPrivateKey(PrivateKey))
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

/// <summary>The <c>workflow_dispatch</c> input names; the workflow's <c>run-name</c> must carry the rollback id's input.</summary>
public sealed class GitHubWorkflowInputNames() : RunInputNames("rollback_id");
