using RollbackFunctions.Deployment.Http;
using static RollbackFunctions.Deployment.Http.ProviderOptionsChecks;

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

    public void Validate(string path, ICollection<string> failures)
    {
        if (OrganizationUrl is not null)
        {
            SecureBaseUrl($"{path}:OrganizationUrl", OrganizationUrl, failures);
        }
        else if (string.IsNullOrWhiteSpace(Organization))
        {
            failures.Add($"{path}:Organization is required (or {path}:OrganizationUrl).");
        }

        Required($"{path}:Project", Project, failures);
        if (PipelineId <= 0)
        {
            failures.Add($"{path}:PipelineId is required and must be a positive number (the pipeline definition id).");
        }

        Required($"{path}:Branch", Branch, failures);
        Required($"{path}:Parameters:RollbackId", Parameters.RollbackId, failures);
        if (!string.IsNullOrWhiteSpace(ManagedIdentityClientId) && !Guid.TryParse(ManagedIdentityClientId, out _))
        {
            failures.Add($"{path}:ManagedIdentityClientId must be the managed identity's client id (a GUID).");
        }

        CallLimits(path, this, failures);
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

/// <summary>The pipeline's template parameter names; the pipeline's <c>name:</c> must carry the rollback id's parameter.</summary>
public sealed class AzureDevOpsParameterNames() : RunInputNames("rollbackId");
