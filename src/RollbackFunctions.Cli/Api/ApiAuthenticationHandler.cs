using System.Net.Http.Headers;
using Azure.Core;

namespace RollbackFunctions.Cli.Api;

/// <summary>Signs every request: the function key, else a bearer token for the scope (fetched once and reused until near expiry).</summary>
public sealed class ApiAuthenticationHandler(ApiConnection connection) : DelegatingHandler
{
    public const string KeyHeader = "x-functions-key";

    private AccessToken? _token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (connection.Key is { } key)
        {
            request.Headers.Remove(KeyHeader);
            request.Headers.Add(KeyHeader, key);
        }
        else if (connection.Credential is { } credential && connection.Scope is { } scope)
        {
            if (_token is not { } token || token.ExpiresOn < DateTimeOffset.UtcNow.AddMinutes(2))
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
                _token = token;
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
