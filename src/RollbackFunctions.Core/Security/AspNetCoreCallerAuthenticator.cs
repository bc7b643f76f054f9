using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace RollbackFunctions.Security;

/// <summary>The dev host's callers: ASP.NET Core authentication with <see cref="RollbackAuthentication.Scheme"/> (a key or an Entra ID bearer token).</summary>
public sealed class AspNetCoreCallerAuthenticator : ICallerAuthenticator
{
    public async Task<CallerAuthentication> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = await http.AuthenticateAsync(RollbackAuthentication.Scheme).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return CallerIdentity.From(result.Principal) is { } caller ? new CallerAuthentication(caller) : CallerAuthentication.Refused("the credential names no caller.");
        }

        return result.Failure is null ? CallerAuthentication.None : CallerAuthentication.Refused(Describe(result.Failure));
    }

    /// <summary>Why a token was refused, in words a caller can act on; the validator's own message stays in the log.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "the bearer token has expired: get a new one.",
        SecurityTokenNotYetValidException => "the bearer token is not valid yet: check the clocks.",
        SecurityTokenInvalidAudienceException => "the bearer token is for another audience: request it for this API's audience (RollbackApi:Entra:Audience).",
        SecurityTokenInvalidIssuerException => "the bearer token is from another issuer than RollbackApi:Entra:Authority.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the bearer token's signature does not verify with the issuer's keys.",
        SecurityTokenMalformedException => "the bearer token is not valid: it is not a well-formed JWT.",
        AuthenticationFailureException => failure.Message,
        _ => "the bearer token is not valid.",
    };
}
