using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Intake;

/// <summary>
/// The caller of an operator action as the audit records it, never a name typed into a body (API.md "Who may call
/// what"): an authenticated principal's name, else the presented key by a fingerprint (the key itself is a secret).
/// The one place to switch to the Security policy's identity once it exists.
/// </summary>
public static class CallerIdentity
{
    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HttpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return name;
        }

        var key = ApiKeyEndpointFilter.Presented(request);
        return string.IsNullOrEmpty(key)
            ? "anonymous"
            : "key sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
    }
}
