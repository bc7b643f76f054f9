using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.Http;

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
}

/// <summary>The <c>workflow_dispatch</c> input names; an empty name leaves that input out.</summary>
public sealed class GitHubWorkflowInputNames
{
    public string Component { get; set; } = "component";

    public string Version { get; set; } = "version";

    public string Artifact { get; set; } = "artifact";

    /// <summary>Required: the workflow's <c>run-name</c> must carry it so a replayed start finds the run.</summary>
    public string RollbackId { get; set; } = "rollback_id";

    public string Reason { get; set; } = "reason";
}
