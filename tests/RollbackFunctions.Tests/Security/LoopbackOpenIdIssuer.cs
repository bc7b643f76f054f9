using RollbackFunctions.Simulators;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RollbackFunctions.Tests.Security;

/// <summary>
/// An OpenID Connect issuer on 127.0.0.1, as Entra ID looks to a resource server: the discovery document at
/// <c>/.well-known/openid-configuration</c> naming the issuer and <c>jwks_uri</c>, the JWKS with its RSA public key,
/// and RS256 access tokens signed with the private key (claims <c>name</c>, <c>oid</c>, <c>roles</c>, ...).
/// </summary>
internal sealed class LoopbackOpenIdIssuer : IAsyncDisposable
{
    public const string Audience = "api://rollback-functions-tests";
    private readonly RSA _rsa = RSA.Create(2048);
    private WebApplication _app = null!;

    private LoopbackOpenIdIssuer()
    {
    }

    /// <summary>The authority and the <c>iss</c> of every token it signs (no trailing slash).</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary>How often the discovery document was fetched: proves the host read the metadata over HTTP.</summary>
    public int MetadataRequests { get; private set; }

    private string KeyId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    public static async Task<LoopbackOpenIdIssuer> StartAsync()
    {
        var issuer = new LoopbackOpenIdIssuer();
        var builder = LoopbackWebApplication.CreateBuilder();
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            issuer.MetadataRequests++;
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Issuer,
                ["jwks_uri"] = issuer.Issuer + "/discovery/keys",
                ["authorization_endpoint"] = issuer.Issuer + "/authorize",
                ["token_endpoint"] = issuer.Issuer + "/token",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "pairwise" },
            });
        });
        app.MapGet("/discovery/keys", () =>
        {
            var parameters = issuer._rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = issuer.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    },
                },
            });
        });
        await app.StartAsync();
        issuer._app = app;
        issuer.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return issuer;
    }

    /// <summary>A signed access token; by default valid for an hour, for <see cref="Audience"/>, from <see cref="Issuer"/>.</summary>
    public string Token(
        string name,
        string objectId,
        IEnumerable<string> roles,
        string? audience = null,
        string? issuer = null,
        DateTime? expires = null,
        RSA? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var until = expires ?? now.AddHours(1);
        var claims = new List<Claim> { new("name", name), new("oid", objectId), new("preferred_username", name.Replace(' ', '.').ToLowerInvariant() + "@example.test"), new("tid", "00000000-0000-0000-0000-00000000beef") };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = until < now ? until.AddHours(-1) : now.AddMinutes(-1),
            IssuedAt = until < now ? until.AddHours(-1) : now.AddMinutes(-1),
            Expires = until,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? _rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _rsa.Dispose();
    }
}
