using RollbackFunctions.Observability;

namespace RollbackFunctions.FunctionApp.Observability;

public sealed class OperatorPageFunction(OperatorPageHandler page)
{
    [Function(nameof(RollbackRoutes.OperatorPage))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.OperatorPageTemplate)] HttpRequest req) => page.Render(req);
}
