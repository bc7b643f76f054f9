using static RollbackFunctions.Deployment.Http.ProviderOptionsChecks;

namespace RollbackFunctions.Deployment.Generic;

/// <summary>Checks every <c>Rollback:Providers:{name}:Generic</c> entry at start: where the deployment API is, how to authenticate, the call limits.</summary>
public sealed class GenericDeploymentOptionsValidator : DeploymentProviderEntriesValidator<GenericDeploymentOptions>
{
    protected override void ValidateEntry(string path, GenericDeploymentOptions settings, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(failures);
        if (settings.BaseUrl is null)
        {
            failures.Add($"{path}:BaseUrl must be set for a Generic provider.");
        }
        else if (!settings.BaseUrl.IsAbsoluteUri || (settings.BaseUrl.Scheme != Uri.UriSchemeHttp && settings.BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{path}:BaseUrl must be an absolute http(s) URL, was '{settings.BaseUrl}'.");
        }

        if (settings.StaticHeader is not null && !GenericDeploymentCredentials.TrySplitHeader(settings.StaticHeader, out _, out _))
        {
            failures.Add($"{path}:StaticHeader must read 'Name: value'.");
        }

        CallLimits(path, settings, failures);
    }
}
