using System.Net.Http.Headers;
using Azure.Identity;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.Generic;

/// <summary>
/// Authorizes calls to a generic deployment API: a bearer token from the app's Entra ID identity for the configured
/// scope (reused until shortly before it expires), or the configured static header for local use.
/// </summary>
public sealed class GenericDeploymentCredentials(IDeploymentCredentials credentials, AccessTokenCache tokens)
{
    /// <returns>The secret the request now carries, which failures scrub from what they report; null when none.</returns>
    internal async Task<string?> AuthorizeAsync(HttpRequestMessage request, GenericDeploymentOptions settings, ProviderHttp api, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(settings.Scope))
        {
            string token;
            try
            {
                token = await tokens.GetTokenAsync(credentials.For(settings.ManagedIdentityClientId), settings.Scope, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException ex)
            {
                throw api.Fail($"get a token for scope {settings.Scope}", $"the identity could not get a token ({ex.GetType().Name})", statusCode: null, transient: false, ex);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return token;
        }

        if (TrySplitHeader(settings.StaticHeader, out var name, out var value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
            return value;
        }

        return null;
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
