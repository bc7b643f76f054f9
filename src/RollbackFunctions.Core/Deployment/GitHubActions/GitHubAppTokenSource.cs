using System.Collections.Concurrent;
using System.Security.Cryptography;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.GitHubActions;

/// <summary>
/// Installation access tokens for GitHub App entries: a JWT signed with the app's private key is exchanged for a
/// token (valid one hour) that is reused until five minutes before it expires.
/// </summary>
public sealed class GitHubAppTokenSource(TimeProvider time, ILogger<GitHubAppTokenSource> logger) : IDisposable
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, GitHubInstallationToken> cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim exchangeGate = new(1, 1);

    public void Dispose() => exchangeGate.Dispose();

    /// <summary>The cached token of this entry, if any: a secret the provider scrubs from anything it reports.</summary>
    internal string? CachedToken(GitHubActionsOptions options) =>
        cache.TryGetValue(CacheKey(options), out var token) ? token.Token : null;

    internal async Task<string> GetTokenAsync(
        GitHubActionsOptions options,
        string providerName,
        ProviderHttp http,
        ProviderCallPolicy policy,
        CancellationToken cancellationToken)
    {
        var key = CacheKey(options);
        if (TryFresh(key, out var fresh))
        {
            return fresh;
        }

        await exchangeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryFresh(key, out fresh))
            {
                return fresh;
            }

            string jwt;
            try
            {
                jwt = GitHubAppJwt.Create(options.AppId!, options.PrivateKey!, time.GetUtcNow());
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw http.Fail("signing the GitHub App JWT", $"Rollback:Providers:{providerName}:GitHub:PrivateKey is not an RSA private key in PEM form", statusCode: null, transient: false);
            }

            var installation = options.InstallationId!.Value.ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, GitHubActionsDeploymentProvider.ApiUri(options, $"app/installations/{installation}/access_tokens"));
            request.Headers.Authorization = new("Bearer", jwt);
            using var response = await http.SendAsync(
                request,
                policy,
                "getting a GitHub App installation token",
                $"Rollback:Providers:{providerName}:GitHub:AppId and InstallationId",
                cancellationToken).ConfigureAwait(false);
            var token = await http.ReadJsonAsync(response, GitHubJsonContext.Default.GitHubInstallationToken, "getting a GitHub App installation token", cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(token.Token))
            {
                throw http.Fail("getting a GitHub App installation token", "the answer carried no token", (int)response.StatusCode, transient: false);
            }

            cache[key] = token;
            ProviderLog.TokenObtained(logger, "GitHub Actions", providerName, token.ExpiresAt);
            return token.Token;
        }
        finally
        {
            exchangeGate.Release();
        }
    }

    private bool TryFresh(string key, out string token)
    {
        if (cache.TryGetValue(key, out var cached) && cached.ExpiresAt - RefreshMargin > time.GetUtcNow())
        {
            token = cached.Token;
            return true;
        }

        token = "";
        return false;
    }

    private static string CacheKey(GitHubActionsOptions options) =>
        $"{options.ApiBaseUrl.AbsoluteUri}|{options.AppId}|{options.InstallationId}";
}
