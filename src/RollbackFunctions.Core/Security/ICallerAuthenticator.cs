namespace RollbackFunctions.Security;

/// <summary>
/// A host's way of learning who calls: the dev host runs ASP.NET Core authentication (keys, Entra ID bearer tokens),
/// the Functions app reads App Service authentication's principal and the keys. Both answer with the same identity.
/// </summary>
public interface ICallerAuthenticator
{
    Task<CallerAuthentication> AuthenticateAsync(HttpContext http);
}

/// <summary>The caller, or why there is none: <paramref name="Refusal"/> is null when no credential was presented at all.</summary>
public sealed record CallerAuthentication(CallerIdentity? Caller, string? Refusal = null)
{
    public static CallerAuthentication None { get; } = new(Caller: null);

    public static CallerAuthentication Refused(string refusal) => new(null, refusal);
}
