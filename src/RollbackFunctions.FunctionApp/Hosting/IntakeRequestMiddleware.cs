using Microsoft.Extensions.Options;
using Microsoft.Azure.Functions.Worker.Middleware;
using RollbackFunctions.Security;

namespace RollbackFunctions.FunctionApp.Hosting;

/// <summary>
/// The Functions host's adapter to <see cref="IntakeRequests"/> and <see cref="CallerAuthorization"/> (the dev host's
/// are <see cref="IntakeEndpointFilter"/> and <see cref="CallerAuthorizationFilter"/>): HTTP functions only.
/// </summary>
internal sealed class IntakeRequestMiddleware(IntakeRequests requests, CallerAuthorization access, IOptionsMonitor<RollbackApiOptions> api) : IFunctionsWorkerMiddleware
{
    private static readonly RollbackRoute Unlisted = new("Unlisted", "", "", RouteAccess.Operator);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Function names are the route table's names, so both hosts label a request alike.
        var route = RollbackRoutes.Named(context.FunctionDefinition.Name);
        requests.Observe(http, route);

        // The functions pass the request's token to the handlers (not the invocation's), so it carries the deadline.
        IntakeDeadline.Start(http, api.CurrentValue.AnswerWithin, context.CancellationToken);
        try
        {
            // Every HTTP function is a route of the table; one that is not (none should be) gets the strictest answer.
            if (await access.AdmitAsync(http, route ?? Unlisted).ConfigureAwait(false) is { } refusal)
            {
                context.GetInvocationResult().Value = refusal;
                return;
            }

            await next(context).ConfigureAwait(false);
            IntakeDeadline.End(http);
        }
        catch (Exception ex) when (requests.AnswerFailure(ex, http, route) is { } answer)
        {
            context.GetInvocationResult().Value = answer;
        }
    }
}
