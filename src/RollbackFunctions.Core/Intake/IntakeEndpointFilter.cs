namespace RollbackFunctions.Intake;

/// <summary>The dev host's adapter to <see cref="IntakeRequests"/> (the Functions app's is worker middleware).</summary>
public sealed class IntakeEndpointFilter(IntakeRequests requests) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var route = http.GetEndpoint()?.Metadata.GetMetadata<RollbackRoute>();
        requests.Observe(http, route);
        try
        {
            var answer = await next(context).ConfigureAwait(false);
            IntakeDeadline.End(http);
            return answer;
        }
        catch (Exception ex) when (requests.AnswerFailure(ex, http, route) is { } answer)
        {
            return answer;
        }
    }
}
