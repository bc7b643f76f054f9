namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// How <see cref="ProviderHttp"/> words a failure: the CI/CD systems' wording by default, the deployment API's for
/// the platform's own API (its operators know "could not start the deployment: the credentials were not accepted").
/// </summary>
/// <param name="Message">The whole message from the system, the provider entry, the operation and the reason.</param>
/// <param name="CredentialsRefused">The reason for a 401, from the status and the server's echoed message.</param>
internal sealed record ProviderWording(
    Func<string, string, string, string, string> Message,
    Func<string, string, string> CredentialsRefused)
{
    /// <summary>"GitHub Actions provider 'web': dispatching the workflow failed: ...".</summary>
    public static ProviderWording CiCd { get; } = new(
        static (system, providerName, operation, reason) => $"{system} provider '{providerName}': {operation} failed: {reason}",
        static (status, detail) => $"the credentials were refused ({status}){detail}; check the token or identity configured for this provider");

    /// <summary>"The deployment API of provider 'platform' could not start the deployment: ...".</summary>
    public static ProviderWording DeploymentApi { get; } = new(
        static (system, providerName, operation, reason) => $"The {system} of provider '{providerName}' could not {operation}: {reason}",
        static (status, detail) => $"the credentials were not accepted ({status}){detail}; check Scope or StaticHeader");
}
