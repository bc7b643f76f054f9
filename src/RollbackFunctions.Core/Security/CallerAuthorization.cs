using Microsoft.AspNetCore.Authorization;
using RollbackFunctions.Intake;

namespace RollbackFunctions.Security;

/// <summary>
/// The one role check of both hosts (API.md "Who may call what"): the host's <see cref="ICallerAuthenticator"/> names
/// the caller, the route's <see cref="RouteAccess"/> policy decides. No credential (or a refused one) is <c>401</c>, a
/// role the route does not take is <c>403</c>, both problem details; an admitted caller is the request's <c>User</c>.
/// </summary>
public sealed class CallerAuthorization(ICallerAuthenticator authenticator, IAuthorizationService authorization, ILogger<CallerAuthorization> logger)
{
    /// <summary>Null to go on, else the refusal to answer. <paramref name="route"/> null (no route matched): any caller goes on to the 404/405.</summary>
    public async Task<IResult?> AdmitAsync(HttpContext http, RollbackRoute? route)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (route?.Anonymous == true)
        {
            return null;
        }

        var authentication = await authenticator.AuthenticateAsync(http).ConfigureAwait(false);
        if (authentication.Caller is not { } caller)
        {
            SecurityLog.Unauthenticated(logger, route?.Label ?? http.Request.Path.Value ?? "", authentication.Refusal ?? "no credential");
            return Problems.Unauthorized(authentication.Refusal);
        }

        http.User = caller.ToPrincipal();
        if (route is null)
        {
            return null;
        }

        var decision = await authorization.AuthorizeAsync(http.User, route.Access.PolicyName).ConfigureAwait(false);
        if (decision.Succeeded)
        {
            return null;
        }

        SecurityLog.Forbidden(logger, route.Label, caller.Name, caller.Method, string.Join(",", caller.Roles));
        return Problems.Forbidden(route, caller);
    }
}
