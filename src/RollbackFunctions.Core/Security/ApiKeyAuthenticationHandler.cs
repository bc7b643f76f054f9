using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace RollbackFunctions.Security;

/// <summary>The dev host's key scheme: a key of <c>RollbackApi:Keys</c>, as the Functions app checks it.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCallers keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var outcome = RollbackAuthentication.FromKey(keys, Request);
        if (outcome.Caller is { } caller)
        {
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(), Scheme.Name)));
        }

        if (outcome.Refusal is { } refusal)
        {
            return Task.FromResult(AuthenticateResult.Fail(refusal));
        }

        // A bearer token reaches this scheme only when RollbackApi:Entra is not configured.
        return Task.FromResult(Request.Headers.Authorization.ToString().StartsWith(RollbackAuthentication.BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? AuthenticateResult.Fail("bearer tokens are not accepted: RollbackApi:Entra is not configured on this host; send a key.")
            : AuthenticateResult.NoResult());
    }
}
