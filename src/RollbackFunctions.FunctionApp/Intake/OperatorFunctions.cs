namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The operator actions of API.md: confirm restored availability (section 8), abort a rollback in flight, unfreeze after analysis (section 11).</summary>
public sealed class OperatorFunctions(OperatorActionHandler operators)
{
    [Function(nameof(RollbackRoutes.ConfirmRollback))]
    public Task<IResult> ConfirmRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.ConfirmTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        operators.ConfirmAsync(req, id, client, cancellationToken);

    [Function(nameof(RollbackRoutes.AbortRollback))]
    public Task<IResult> AbortRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.AbortTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        operators.AbortAsync(req, id, client, cancellationToken);

    [Function(nameof(RollbackRoutes.UnfreezeComponent))]
    public Task<IResult> UnfreezeComponentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.UnfreezeTemplate)] HttpRequest req,
        string component,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        operators.UnfreezeAsync(req, component, client, cancellationToken);
}
