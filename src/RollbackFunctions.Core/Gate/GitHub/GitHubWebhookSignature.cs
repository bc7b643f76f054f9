using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace RollbackFunctions.Gate.GitHub;

/// <summary>
/// GitHub's webhook signature: <c>X-Hub-Signature-256: sha256=</c> and the hex HMAC-SHA256 of the raw body keyed with
/// the webhook secret. Compared in constant time; anything but a well-formed, matching signature is refused.
/// </summary>
public static class GitHubWebhookSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";
    private const int HashBytes = 32;

    public static bool IsValid(string? header, ReadOnlySpan<byte> body, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || header is null || header.Length != Prefix.Length + (HashBytes * 2)
            || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[HashBytes];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), claimed, out _, out var written) != OperationStatus.Done || written != HashBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(claimed, expected);
    }

    /// <summary>The header value GitHub would send for <paramref name="body"/> (for stand-ins and redelivery tools).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
