using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;
using RollbackFunctions.Configuration;

namespace RollbackFunctions.Deployment.Generic;

/// <summary>
/// Authorizes calls to a generic deployment API: a bearer token from Azure.Identity for the configured scope (the
/// credential is kept per provider so its token cache lives), or the configured static header for local use.
/// </summary>
public sealed class GenericDeploymentCredentials
{
    private readonly ConcurrentDictionary<string, TokenCredential> _credentials = new(StringComparer.Ordinal);

    public async Task AuthorizeAsync(HttpRequestMessage request, string providerName, GenericDeploymentOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.IsNullOrWhiteSpace(settings.Scope))
        {
            var credential = _credentials.GetOrAdd(providerName, _ => string.IsNullOrWhiteSpace(settings.ManagedIdentityClientId)
                ? new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.ManagedIdentityClientId)));
            AccessToken token;
            try
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([settings.Scope]), cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException ex)
            {
                throw new DeploymentProviderException($"No token for provider '{providerName}' (scope {settings.Scope}) could be obtained: {ex.GetType().Name}.", ex);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }
        else if (TrySplitHeader(settings.StaticHeader, out var name, out var value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>"Name: value" into its parts.</summary>
    public static bool TrySplitHeader(string? header, out string name, out string value)
    {
        name = value = "";
        var colon = header?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (header is null || colon <= 0)
        {
            return false;
        }

        name = header[..colon].Trim();
        value = header[(colon + 1)..].Trim();
        return name.Length > 0;
    }
}
