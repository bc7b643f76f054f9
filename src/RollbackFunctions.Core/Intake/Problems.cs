using FluentValidation.Results;
using RollbackFunctions.Security;

namespace RollbackFunctions.Intake;

/// <summary>
/// RFC 9457 problem details for every refusal: a title a person can act on, the offending fields for validation
/// errors, and the status code API.md names.
/// </summary>
public static class Problems
{
    public static IResult Validation(string title, IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        Results.ValidationProblem(errors, detail: detail, title: title, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Validation failures grouped by field, in the order they were found.</summary>
    public static IResult Validation(string title, IEnumerable<ValidationFailure> failures) =>
        Validation(title, failures.GroupBy(f => f.PropertyName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray(), StringComparer.Ordinal));

    public static IResult BadRequest(string title, string? detail = null) =>
        Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>No credential, or <paramref name="refusal"/>: why the one presented was refused.</summary>
    public static IResult Unauthorized(string? refusal = null) =>
        new Challenged(Results.Problem(
            title: refusal is null
                ? "A credential is required: send an API key in the 'x-functions-key' header or the 'code' query parameter, or an Entra ID bearer token."
                : "The credential was refused: " + refusal,
            statusCode: StatusCodes.Status401Unauthorized));

    /// <summary>What a <c>401</c> accepts (RFC 9110 requires the header on every 401): a bearer token, or the key header.</summary>
    public const string Challenge = $"Bearer, ApiKey header=\"{ApiKeyCallers.HeaderName}\"";

    private sealed class Challenged(IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.WWWAuthenticate = Challenge;
            return problem.ExecuteAsync(httpContext);
        }
    }

    /// <summary>The caller is known but holds none of the roles <paramref name="route"/> takes: which it needs, which it has.</summary>
    public static IResult Forbidden(RollbackRoute route, CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(caller);
        return Results.Problem(
            title: $"{route.Label} needs the role {route.Access.Describe()}; {caller.Describe()} has none of them: ask for the role "
                + (caller.Method is CallerIdentity.KeyMethod ? $"in RollbackApi:Keys:{caller.Name}:Roles." : "as an app role assignment in Entra ID."),
            statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["requiredRoles"] = route.Access.Roles, ["callerRoles"] = caller.Roles });
    }

    /// <summary>A body names another operator than the authenticated caller (API.md: the audit records the identity).</summary>
    public static IResult OperatorMismatch(string named, CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Results.Problem(
            title: $"The body's operator '{named}' is not the authenticated caller {caller.Describe()}: leave 'operator' out, or send your own name; the audit records who is signed in.",
            statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["operator"] = [$"'{named}' is not the caller '{caller.Name}'."] } });
    }

    public static IResult NotFound(string title) =>
        Results.Problem(title: title, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict, extensions: extensions);

    public static IResult PayloadTooLarge() =>
        Results.Problem(
            title: $"The request body is larger than {IntakeLimits.MaxBodyBytes / 1024} KiB: send less (split an event batch).",
            statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult UnsupportedMediaType(string? received, string expected) =>
        Results.Problem(
            title: $"Send the body as {expected}.",
            detail: received is null ? "The request has no Content-Type." : $"The request's Content-Type is '{received}'.",
            statusCode: StatusCodes.Status415UnsupportedMediaType);

    public static IResult UnknownComponent(string component, string? field = null) =>
        Results.Problem(
            title: $"Component '{component}' is not configured: add it under Rollback:Components, or name a configured component.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            extensions: field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [$"'{component}' is not a configured component."] } });

    public static IResult Unprocessable(string title, IReadOnlyDictionary<string, string[]>? errors = null) =>
        Results.Problem(
            title: title,
            statusCode: StatusCodes.Status422UnprocessableEntity,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult Frozen(string component, string? frozenReason, string? rollbackId) =>
        Results.Problem(
            title: $"Component '{component}' is frozen after a failed rollback: record the incident analysis with POST /api/components/{component}/unfreeze before another rollback can run.",
            detail: frozenReason,
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["component"] = component, ["frozenByRollbackId"] = rollbackId });

    /// <summary>
    /// Gives the framework's own problem details (status-code pages: a path or method that matches no route) a title a
    /// person can act on; problems this class makes already have one and are left as they are.
    /// </summary>
    public static void Describe(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        var where = $"{request.Method} {request.Path}";
        switch (problem.Status)
        {
            case StatusCodes.Status404NotFound when problem.Title is null or "Not Found":
                problem.Title = $"There is no route {where}: the routes are listed in API.md, under /{RollbackRoutes.Prefix}.";
                break;
            case StatusCodes.Status405MethodNotAllowed when problem.Title is null or "Method Not Allowed":
                var allowed = context.HttpContext.Response.Headers.Allow.ToString();
                problem.Title = $"{request.Path} does not take {request.Method}" + (allowed.Length > 0 ? $": use {allowed}." : ": see API.md for its methods.");
                break;
        }
    }
}
