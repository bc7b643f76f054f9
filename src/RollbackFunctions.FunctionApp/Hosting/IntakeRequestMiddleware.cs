using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using RollbackFunctions.Intake;

namespace RollbackFunctions.FunctionApp.Hosting;

/// <summary>The Functions host's adapter to <see cref="IntakeRequests"/> (the dev host's is <see cref="IntakeEndpointFilter"/>): HTTP functions only.</summary>
internal sealed class IntakeRequestMiddleware(IntakeRequests requests) : IFunctionsWorkerMiddleware
{
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
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (requests.AnswerFailure(ex, http, route) is { } answer)
        {
            context.GetInvocationResult().Value = answer;
        }
    }
}
