namespace RollbackFunctions.Security.Outbound;

/// <summary>
/// Probe URLs as they may be shown: a probe is a plain GET and often carries its secret in the address (a query key,
/// <c>user:pass@</c>), so the audit, the incident and the dry-run plan show the scheme, host, port and path only, and
/// <c>?***</c> where a query was.
/// </summary>
public static class ProbeUrls
{
    public const string RedactedQuery = "?***";

    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "";
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var shown = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            return uri.Query.Length > 1 ? shown + RedactedQuery : shown;
        }

        // Not an http(s) URL (the runner refuses it): still never show what could be a secret.
        var query = url.IndexOfAny(['?', '#']);
        var text = query >= 0 ? url[..query] + (url[query] == '?' ? RedactedQuery : "") : url;
        var at = text.LastIndexOf('@');
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && at > scheme ? text[..(scheme + 3)] + text[(at + 1)..] : text;
    }
}
