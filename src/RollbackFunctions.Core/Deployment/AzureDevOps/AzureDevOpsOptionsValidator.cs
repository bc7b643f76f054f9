using static RollbackFunctions.Deployment.Http.ProviderOptionsChecks;

namespace RollbackFunctions.Deployment.AzureDevOps;

/// <summary>Checks every <c>Rollback:Providers:{name}:AzureDevOps</c> entry at start: organization, project, pipeline and identity.</summary>
public sealed class AzureDevOpsOptionsValidator : DeploymentProviderEntriesValidator<AzureDevOpsOptions>
{
    protected override void ValidateEntry(string path, AzureDevOpsOptions settings, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(failures);
        if (settings.OrganizationUrl is not null)
        {
            SecureBaseUrl($"{path}:OrganizationUrl", settings.OrganizationUrl, failures);
        }
        else if (string.IsNullOrWhiteSpace(settings.Organization))
        {
            failures.Add($"{path}:Organization is required (or {path}:OrganizationUrl).");
        }

        Required($"{path}:Project", settings.Project, failures);
        if (settings.PipelineId <= 0)
        {
            failures.Add($"{path}:PipelineId is required and must be a positive number (the pipeline definition id).");
        }

        Required($"{path}:Branch", settings.Branch, failures);
        Required($"{path}:Parameters:RollbackId", settings.Parameters.RollbackId, failures);
        if (!string.IsNullOrWhiteSpace(settings.ManagedIdentityClientId) && !Guid.TryParse(settings.ManagedIdentityClientId, out _))
        {
            failures.Add($"{path}:ManagedIdentityClientId must be the managed identity's client id (a GUID).");
        }

        CallLimits(path, settings, failures);
    }
}
