using RollbackFunctions.Drills;

namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The drill routes of API.md "Readiness and drills".</summary>
public sealed class DrillFunctions(DrillHandler drills)
{
    [Function(nameof(RollbackRoutes.StartDrill))]
    public Task<IResult> StartDrillAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.DrillsTemplate)] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        drills.StartAsync(req, client, cancellationToken);

    [Function(nameof(RollbackRoutes.GetDrill))]
    public Task<IResult> GetDrillAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.DrillTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        drills.GetAsync(id, client, cancellationToken);

    [Function(nameof(RollbackRoutes.ListDrills))]
    public Task<IResult> ListDrillsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.DrillsTemplate)] HttpRequest req,
        CancellationToken cancellationToken) =>
        drills.ListAsync(req, cancellationToken);
}
