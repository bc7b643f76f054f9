using RollbackFunctions.Drills;

namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The drill routes of API.md "Readiness and drills".</summary>
public sealed class DrillFunctions(DrillHandler drills)
{
    [Function(nameof(RollbackRoutes.StartDrill))]
    public Task<IResult> StartDrillAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.DrillsTemplate)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        drills.StartAsync(req, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.GetDrill))]
    public Task<IResult> GetDrillAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.DrillTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client) =>
        drills.GetAsync(id, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.ListDrills))]
    public Task<IResult> ListDrillsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.DrillsTemplate)] HttpRequest req) =>
        drills.ListAsync(req, req.HttpContext.RequestAborted);
}
