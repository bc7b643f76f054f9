using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RollbackFunctions.Observability;

namespace RollbackFunctions.FunctionApp.Observability;

public sealed class OperatorPageFunction(OperatorPageHandler page)
{
    [Function("OperatorPage")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = OperatorPageHandler.Route)] HttpRequest req) => page.Render(req);
}
