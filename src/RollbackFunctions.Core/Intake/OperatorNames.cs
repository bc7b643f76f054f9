using RollbackFunctions.Security;

namespace RollbackFunctions.Intake;

/// <summary>
/// Who an operator action is recorded as (API.md "Who may call what": the audit records the identity, never a name
/// typed into a body): the authenticated caller, with its object id. A body's <c>operator</c> must name that caller,
/// else <c>403</c>. A bare key (local use) names nobody, so there is no name to hold the body's <c>operator</c> against:
/// it is not checked, and the action is recorded as the key itself (<c>key sha256:...</c>), like an abort.
/// </summary>
internal static class OperatorNames
{
    public static (string? Name, string? ObjectId, IResult? Problem) Resolve(HttpRequest request, string? named, string action, ILogger logger)
    {
        if (CallerIdentity.From(request.HttpContext.User) is not { } caller)
        {
            return (null, null, Problems.Unauthorized());
        }

        if (!caller.NamesHolder)
        {
            return (caller.Name, null, null);
        }

        if (!caller.IsCalled(named))
        {
            SecurityLog.OperatorMismatch(logger, action, caller.Name, named!);
            return (null, null, Problems.OperatorMismatch(named!, caller));
        }

        return (caller.Name, caller.ObjectId, null);
    }
}
