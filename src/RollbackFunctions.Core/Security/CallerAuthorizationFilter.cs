using RollbackFunctions.Intake;

namespace RollbackFunctions.Security;

/// <summary>The dev host's adapter to <see cref="CallerAuthorization"/> (the Functions app's is its worker middleware).</summary>
public sealed class CallerAuthorizationFilter(CallerAuthorization access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var route = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RollbackRoute>();
        return await access.AdmitAsync(context.HttpContext, route).ConfigureAwait(false) ?? await next(context).ConfigureAwait(false);
    }
}
