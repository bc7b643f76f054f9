using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RollbackFunctions.Intake;

/// <summary>Turns a failing dependency into <c>503</c> problem details for the dev host's routes (the Functions app has the same as worker middleware).</summary>
public sealed class DependencyFailureEndpointFilter(ILogger<DependencyFailureEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (DependencyFailures.Classify(ex, context.HttpContext.RequestAborted) is { } dependency)
        {
            IntakeLog.DependencyUnavailable(logger, context.HttpContext.Request.Path.Value ?? "", dependency, ex);
            return DependencyFailures.Unavailable(dependency);
        }
    }
}
