using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using RollbackFunctions.Intake;

namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The reading routes of API.md: "why was rollback executed, and to which version?"</summary>
public sealed class ReadingFunctions(
    RollbackReadHandler rollbacks,
    ComponentReadHandler components,
    ReleaseHandler releases)
{
    [Function("GetRollback")]
    public Task<IResult> GetRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rollbacks/{id}")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        rollbacks.GetAsync(id, client, cancellationToken);

    [Function("ListRollbacks")]
    public Task<IResult> ListRollbacksAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rollbacks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        rollbacks.ListAsync(req, cancellationToken);

    [Function("GetComponent")]
    public Task<IResult> GetComponentAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "components/{component}")] HttpRequest req,
        string component,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        components.GetAsync(component, client, cancellationToken);

    [Function("GetRollbackPlan")]
    public Task<IResult> GetRollbackPlanAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "components/{component}/rollback-plan")] HttpRequest req,
        string component,
        CancellationToken cancellationToken) =>
        components.PlanAsync(component, req, cancellationToken);

    [Function("ListReleases")]
    public Task<IResult> ListReleasesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "releases/{component}")] HttpRequest req,
        string component,
        CancellationToken cancellationToken) =>
        releases.ListAsync(component, cancellationToken);
}
