using System.Security.Claims;

namespace RollbackFunctions.Security;

/// <summary>
/// Who is calling, the same on both hosts whatever the credential: a key's name, or a person's or application's
/// name and Entra ID object id, with the roles it holds. It travels as the request's <see cref="ClaimsPrincipal"/>.
/// </summary>
/// <param name="Name">The key's name, or the token's <c>name</c> (else <c>preferred_username</c>, else the application id).</param>
/// <param name="ObjectId">The Entra ID object id (<c>oid</c>); null for a key.</param>
/// <param name="UserName">The token's <c>preferred_username</c>, another spelling the caller may give of itself.</param>
/// <param name="Method">How the caller proved it: <see cref="KeyMethod"/>, <see cref="BareKeyMethod"/>, <see cref="TokenMethod"/> or the App Service <c>auth_typ</c>.</param>
public sealed record CallerIdentity(string Name, string? ObjectId, string? UserName, IReadOnlyList<string> Roles, string Method)
{
    /// <summary>The authentication type of the identity this record becomes.</summary>
    public const string Scheme = "RollbackApi";

    public const string KeyMethod = "key";

    /// <summary>A bare key: every role, no holder named; for local use.</summary>
    public const string BareKeyMethod = "bare-key";

    public const string TokenMethod = "bearer";

    public const string NameClaim = "name";
    public const string RoleClaim = "roles";
    public const string ObjectIdClaim = "oid";
    public const string UserNameClaim = "preferred_username";
    private const string MethodClaim = "amr";

    /// <summary>The claim type App Service and WS-Federation spell <c>oid</c> with.</summary>
    public const string LongObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>True when the credential names a person or an application; a bare key names nobody.</summary>
    public bool NamesHolder => Method != BareKeyMethod;

    public static CallerIdentity ForKey(ApiKeyEntry key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new CallerIdentity(key.Name, null, null, key.Roles, key.Bare ? BareKeyMethod : KeyMethod);
    }

    /// <summary>
    /// From the claims of a validated token or App Service principal: the name from <c>name</c>, else
    /// <c>preferred_username</c>, else the calling application (<c>azp</c>, <c>appid</c>), else the object id.
    /// </summary>
    public static CallerIdentity? FromClaims(IEnumerable<Claim> claims, string method, string? nameType = null, string? roleType = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var list = claims.ToList();
        string? First(params string?[] types) =>
            types.Where(t => t is not null).Select(t => list.FirstOrDefault(c => c.Type == t && !string.IsNullOrWhiteSpace(c.Value))?.Value).FirstOrDefault(v => v is not null);
        var objectId = First(ObjectIdClaim, LongObjectIdClaim);
        var userName = First(UserNameClaim);
        var name = First(nameType, NameClaim, UserNameClaim, "azp", "appid") ?? objectId;
        if (name is null)
        {
            return null;
        }

        var roles = list.Where(c => c.Type == RoleClaim || c.Type == ClaimTypes.Role || (roleType is not null && c.Type == roleType))
            .Select(c => RollbackRoles.Known(c.Value))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new CallerIdentity(name, objectId, userName, roles, method);
    }

    /// <summary>The identity of an authenticated request, or null.</summary>
    public static CallerIdentity? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == Scheme) is not { } identity)
        {
            return null;
        }

        return new CallerIdentity(
            identity.Name ?? "",
            identity.FindFirst(ObjectIdClaim)?.Value,
            identity.FindFirst(UserNameClaim)?.Value,
            [.. identity.FindAll(RoleClaim).Select(c => c.Value)],
            identity.FindFirst(MethodClaim)?.Value ?? KeyMethod);
    }

    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim> { new(NameClaim, Name), new(MethodClaim, Method) };
        if (ObjectId is not null)
        {
            claims.Add(new Claim(ObjectIdClaim, ObjectId));
        }

        if (UserName is not null)
        {
            claims.Add(new Claim(UserNameClaim, UserName));
        }

        claims.AddRange(Roles.Select(r => new Claim(RoleClaim, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, NameClaim, RoleClaim));
    }

    /// <summary>
    /// Whether a name given in a body (<c>operator</c>) is this caller: its name, user name or object id, in any case.
    /// A bare key names nobody, so any name passes (local use).
    /// </summary>
    public bool IsCalled(string? name) =>
        !NamesHolder || name is null || new[] { Name, UserName, ObjectId }.Any(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>How a refusal describes the caller: "key 'pipeline-shop' (roles Pipeline)".</summary>
    public string Describe()
    {
        var roles = Roles.Count == 0 ? "no role of this API" : "roles " + string.Join(", ", Roles);
        return Method switch
        {
            KeyMethod or BareKeyMethod => $"key '{Name}' ({roles})",
            _ => $"'{Name}' ({roles})",
        };
    }
}
