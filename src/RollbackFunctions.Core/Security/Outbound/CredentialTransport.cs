namespace RollbackFunctions.Security.Outbound;

/// <summary>
/// Where a client that carries credentials (bearer tokens, static headers, incident header values, GitHub tokens) may
/// send a request: https anywhere, plain http only to loopback (127.0.0.0/8, ::1, localhost) for local servers and
/// tests. The options validators check configured URLs with it at start; <see cref="CredentialTransportHandler"/>
/// checks every request of those clients at send time, so a URL built at run time cannot slip past.
/// </summary>
public static class CredentialTransport
{
    public static bool IsAllowed(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri
            && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));
    }

    /// <summary>The start-up failure for <paramref name="settingPath"/> when <paramref name="url"/> may not carry credentials; null when it may.</summary>
    /// <param name="carries">What would travel in clear text (e.g. "the bearer token"), named in the message when given.</param>
    public static string? Check(string settingPath, Uri url, string? carries = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        return IsAllowed(url) ? null
            : carries is null ? $"{settingPath} must use https (plain http only for a loopback test server)."
            : $"{settingPath} must use https (plain http only for a loopback test server): {carries} must not travel in clear text to '{ProbeUrls.Redact(url.OriginalString)}'.";
    }
}
