using RollbackFunctions.Security;

namespace RollbackFunctions.Intake;

/// <summary>
/// Who an operator action is recorded as (API.md "Who may call what": the audit records the identity, never a name
/// typed into a body): the authenticated caller, with its object id. A body's <c>operator</c> must name that caller,
/// else <c>403</c>. A bare key names nobody (local use), so there the body's <c>operator</c> is the name, and required.
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
            return named is null
                ? (null, null, Problems.Validation(
                    $"Name the operator: the key '{caller.Name}' is a bare key that names nobody, so 'operator' is required (or use a named key or a token).",
                    new Dictionary<string, string[]> { ["operator"] = ["is required with a bare key."] }))
                : (named.Trim(), null, null);
        }

        if (!caller.IsCalled(named))
        {
            SecurityLog.OperatorMismatch(logger, action, caller.Name, named!);
            return (null, null, Problems.OperatorMismatch(named!, caller));
        }

        return (caller.Name, caller.ObjectId, null);
    }
}
