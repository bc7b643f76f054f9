using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure.Core;

namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// Entra ID access tokens reused until five minutes before they expire: not every credential caches (developer
/// credentials may start a process per token), and a rollback polls every few seconds.
/// </summary>
public sealed class AccessTokenCache(TimeProvider time)
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly ConditionalWeakTable<TokenCredential, ConcurrentDictionary<string, AccessToken>> tokens = [];

    public async Task<string> GetTokenAsync(TokenCredential credential, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var byScope = tokens.GetValue(credential, static _ => new ConcurrentDictionary<string, AccessToken>(StringComparer.Ordinal));
        if (byScope.TryGetValue(scope, out var cached) && cached.ExpiresOn - RefreshMargin > time.GetUtcNow())
        {
            return cached.Token;
        }

        var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
        byScope[scope] = token;
        return token.Token;
    }
}
