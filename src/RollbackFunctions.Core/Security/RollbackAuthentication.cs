namespace RollbackFunctions.Security;

/// <summary>The dev host's authentication schemes, and the key check both hosts share.</summary>
public static class RollbackAuthentication
{
    /// <summary>The scheme the dev host authenticates with: it forwards to <see cref="KeyScheme"/> or, for a bearer token, to JwtBearer.</summary>
    public const string Scheme = CallerIdentity.Scheme;

    public const string KeyScheme = "RollbackApiKey";

    public const string BearerPrefix = "Bearer ";

    /// <summary>The caller named by the presented key; no key is no credential, an unknown key a refusal.</summary>
    public static CallerAuthentication FromKey(ApiKeyCallers keys, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (ApiKeyCallers.Presented(request) is not { } presented)
        {
            return CallerAuthentication.None;
        }

        return keys.Find(presented) is { } caller
            ? new CallerAuthentication(caller)
            : CallerAuthentication.Refused("the key is not one of RollbackApi:Keys.");
    }
}
