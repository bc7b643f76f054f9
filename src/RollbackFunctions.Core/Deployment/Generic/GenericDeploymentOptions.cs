using RollbackFunctions.Deployment.Http;
using RollbackFunctions.Security.Outbound;
using static RollbackFunctions.Deployment.Http.ProviderOptionsChecks;

namespace RollbackFunctions.Deployment.Generic;

/// <summary><c>Rollback:Providers:{name}:Generic</c>: the platform's own deployment API.</summary>
/// <remarks>The platform's own API is close by: retries start after 250 ms rather than the CI/CD systems' 1 s.</remarks>
public sealed class GenericDeploymentOptions : CiCdHttpOptions, IDeploymentProviderSettings
{
    public GenericDeploymentOptions()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(250);
    }

    public static DeploymentProviderType ProviderType => DeploymentProviderType.Generic;

    public static string SectionName => "Generic";

    public Uri? BaseUrl { get; set; }

    /// <summary>Entra ID scope of the deployment API (e.g. <c>api://deployments/.default</c>); a token comes from Azure.Identity.</summary>
    public string? Scope { get; set; }

    /// <summary>For local use instead of a token: a static header, as "Name: value".</summary>
    public string? StaticHeader { get; set; }

    /// <summary>Managed identity client id for the token; the developer's credentials when empty.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>What the calls carry, for the message: the client refuses plain http to a remote host whatever it carries.</summary>
    private string CredentialsCarried =>
        !string.IsNullOrWhiteSpace(Scope) ? "the bearer token" : StaticHeader is not null ? "the static header" : "the deployment commands";

    public void Validate(string path, ICollection<string> failures)
    {
        if (BaseUrl is null)
        {
            failures.Add($"{path}:BaseUrl must be set for a Generic provider.");
        }
        else if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{path}:BaseUrl must be an absolute http(s) URL, was '{BaseUrl}'.");
        }
        else if (CredentialTransport.Check($"{path}:BaseUrl", BaseUrl, CredentialsCarried) is { } insecure)
        {
            failures.Add(insecure);
        }

        if (StaticHeader is not null && !GenericDeploymentCredentials.TrySplitHeader(StaticHeader, out _, out _))
        {
            failures.Add($"{path}:StaticHeader must read 'Name: value'.");
        }

        CallLimits(path, this, failures);
    }
}
