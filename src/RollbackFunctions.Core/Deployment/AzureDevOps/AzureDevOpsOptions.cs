using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.AzureDevOps;

/// <summary>
/// <c>Rollback:Providers:{name}:AzureDevOps</c>: a YAML pipeline run with template parameters. The app authenticates
/// with an Entra ID token for Azure DevOps (its managed identity in Azure, the developer's credentials locally).
/// </summary>
public sealed class AzureDevOpsOptions : CiCdHttpOptions, IDeploymentProviderSettings
{
    /// <summary>The Entra ID resource of Azure DevOps; the same for every organization.</summary>
    public const string Scope = "499b84ac-1321-427f-aa17-267ca6975798/.default";

    public static DeploymentProviderType ProviderType => DeploymentProviderType.AzureDevOps;

    public static string SectionName => "AzureDevOps";

    /// <summary>The organization's name, giving <c>https://dev.azure.com/{Organization}/</c> unless <see cref="OrganizationUrl"/> is set.</summary>
    public string? Organization { get; set; }

    /// <summary>Overrides the organization URL (e.g. <c>https://myorg.visualstudio.com/</c> or a test server).</summary>
    public Uri? OrganizationUrl { get; set; }

    public string Project { get; set; } = "";

    public int PipelineId { get; set; }

    /// <summary>The branch whose pipeline YAML runs: <c>main</c> or <c>refs/heads/main</c>.</summary>
    public string Branch { get; set; } = "main";

    public AzureDevOpsParameterNames Parameters { get; set; } = new();

    /// <summary>User-assigned managed identity client id; empty uses DefaultAzureCredential (developer credentials locally).</summary>
    public string? ManagedIdentityClientId { get; set; }

    public Uri? EffectiveOrganizationUrl =>
        OrganizationUrl is not null ? WithTrailingSlash(OrganizationUrl)
        : string.IsNullOrWhiteSpace(Organization) ? null
        : new Uri($"https://dev.azure.com/{Uri.EscapeDataString(Organization)}/");

    public string RefName => Branch.StartsWith("refs/", StringComparison.Ordinal) ? Branch : "refs/heads/" + Branch;

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

/// <summary>The pipeline's template parameter names; an empty name leaves that parameter out.</summary>
public sealed class AzureDevOpsParameterNames
{
    public string Component { get; set; } = "component";

    public string Version { get; set; } = "version";

    public string Artifact { get; set; } = "artifact";

    /// <summary>Required: the pipeline's <c>name:</c> must carry it so a replayed start finds the run.</summary>
    public string RollbackId { get; set; } = "rollbackId";

    public string Reason { get; set; } = "reason";
}
