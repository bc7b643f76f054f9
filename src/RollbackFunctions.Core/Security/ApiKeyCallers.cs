using System.Security.Cryptography;
using System.Text;

namespace RollbackFunctions.Security;

/// <summary>
/// The configured keys of <c>RollbackApi:Keys</c> on both hosts: the key a request presents (the
/// <c>x-functions-key</c> header, else the <c>code</c> query parameter) and the caller it names.
/// </summary>
public sealed class ApiKeyCallers(IOptionsMonitor<RollbackApiOptions> options)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    /// <summary>The key the request presents: the header, else the query parameter; null when neither.</summary>
    public static string? Presented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presented = request.Headers[HeaderName].ToString();
        presented = string.IsNullOrEmpty(presented) ? request.Query[QueryName].ToString() : presented;
        return string.IsNullOrEmpty(presented) ? null : presented;
    }

    /// <summary>The caller whose key was presented, or null when it matches no configured key.</summary>
    public CallerIdentity? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyEntry? match = null;
        foreach (var key in options.CurrentValue.Keys.Where(k => !string.IsNullOrEmpty(k.Key)))
        {
            // Compare digests in fixed time, and every key, so a key cannot be guessed from response timing.
            if (CryptographicOperations.FixedTimeEquals(candidate, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))))
            {
                match = key;
            }
        }

        return match is null ? null : CallerIdentity.ForKey(match);
    }
}
