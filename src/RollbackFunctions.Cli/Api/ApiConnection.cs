using Azure.Core;

namespace RollbackFunctions.Cli.Api;

/// <summary>
/// Where and as whom the CLI calls: the app's base URL, and either a function key (<c>x-functions-key</c>) or an
/// Entra ID credential with the scope of the app's registration (a bearer token).
/// </summary>
public sealed record ApiConnection(Uri BaseUrl, string? Key, string? Scope, TokenCredential? Credential)
{
    /// <summary>The base URL as given (with or without a trailing slash or <c>/api</c>), as the root the routes hang off.</summary>
    public static Uri? ParseBaseUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/api".Length];
        }

        return new UriBuilder(uri) { Path = path + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
    }
}
