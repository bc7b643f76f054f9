namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The operator actions of API.md: confirm restored availability (section 8), abort a rollback in flight, unfreeze after analysis (section 11).</summary>
public sealed class OperatorFunctions(OperatorActionHandler operators)
{
    [Function(nameof(RollbackRoutes.ConfirmRollback))]
    public Task<IResult> ConfirmRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.ConfirmTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client) =>
        operators.ConfirmAsync(req, id, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.AbortRollback))]
    public Task<IResult> AbortRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.AbortTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client) =>
        operators.AbortAsync(req, id, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.UnfreezeComponent))]
    public Task<IResult> UnfreezeComponentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.UnfreezeTemplate)] HttpRequest req,
        string component,
        [DurableClient] DurableTaskClient client) =>
        operators.UnfreezeAsync(req, component, client, req.HttpContext.RequestAborted);
}
