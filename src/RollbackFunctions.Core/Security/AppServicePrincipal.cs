using System.Security.Claims;
using System.Text;
using System.Text.Json.Serialization;

namespace RollbackFunctions.Security;

/// <summary>
/// The principal App Service authentication (Easy Auth) hands the app in <c>X-MS-CLIENT-PRINCIPAL</c>: base64 JSON
/// <c>{auth_typ, claims: [{typ, val}], name_typ, role_typ}</c>. The platform sets the header after validating the
/// token and strips one a client sent; without the platform's authentication anyone can send it, so it is read only
/// when <see cref="AuthEnabledSetting"/> is <c>True</c>.
/// </summary>
public static class AppServicePrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>App Service sets this app setting to <c>True</c> when its authentication is on.</summary>
    public const string AuthEnabledSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The caller in the header, or null when it is absent, not base64 JSON, or names nobody.</summary>
    public static CallerIdentity? Read(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            var json = Convert.FromBase64String(header.Trim());
            var principal = JsonSerializer.Deserialize(json, AppServicePrincipalJsonContext.Default.ClientPrincipal);
            if (principal?.Claims is not { } claims)
            {
                return null;
            }

            return CallerIdentity.FromClaims(
                claims.Where(c => c.Typ is not null && c.Val is not null).Select(c => new Claim(c.Typ!, c.Val!)),
                string.IsNullOrWhiteSpace(principal.AuthTyp) ? "appservice" : principal.AuthTyp,
                principal.NameTyp,
                principal.RoleTyp);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The header's value for <paramref name="claims"/>, as the platform writes it (tests, tools).</summary>
    public static string Write(string authType, IEnumerable<(string Type, string Value)> claims, string nameType = CallerIdentity.NameClaim, string roleType = CallerIdentity.RoleClaim)
    {
        var principal = new ClientPrincipal(authType, [.. claims.Select(c => new ClientPrincipalClaim(c.Type, c.Value))], nameType, roleType);
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(principal, AppServicePrincipalJsonContext.Default.ClientPrincipal));
    }
}

internal sealed record ClientPrincipal(
    [property: JsonPropertyName("auth_typ")] string? AuthTyp,
    [property: JsonPropertyName("claims")] IReadOnlyList<ClientPrincipalClaim>? Claims,
    [property: JsonPropertyName("name_typ")] string? NameTyp,
    [property: JsonPropertyName("role_typ")] string? RoleTyp);

internal sealed record ClientPrincipalClaim(
    [property: JsonPropertyName("typ")] string? Typ,
    [property: JsonPropertyName("val")] string? Val);

[JsonSerializable(typeof(ClientPrincipal))]
internal sealed partial class AppServicePrincipalJsonContext : JsonSerializerContext;
