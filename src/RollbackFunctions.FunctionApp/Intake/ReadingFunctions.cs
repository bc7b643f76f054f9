using RollbackFunctions.Intake.OpenApi;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The reading routes of API.md: "why was rollback executed, and to which version?"</summary>
public sealed class ReadingFunctions(
    RollbackReadHandler rollbacks,
    ComponentReadHandler components,
    ReleaseHandler releases,
    ApiDocumentHandler apiDocument,
    ReadinessHandler readiness)
{
    [Function(nameof(RollbackRoutes.GetRollback))]
    public Task<IResult> GetRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.RollbackTemplate)] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient client) =>
        rollbacks.GetAsync(id, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.ListRollbacks))]
    public Task<IResult> ListRollbacksAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.RollbacksTemplate)] HttpRequest req) =>
        rollbacks.ListAsync(req, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.GetComponent))]
    public Task<IResult> GetComponentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.ComponentTemplate)] HttpRequest req,
        string component,
        [DurableClient] DurableTaskClient client) =>
        components.GetAsync(component, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.GetRollbackPlan))]
    public Task<IResult> GetRollbackPlanAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.RollbackPlanTemplate)] HttpRequest req,
        string component) =>
        components.PlanAsync(component, req, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.ListReleases))]
    public Task<IResult> ListReleasesAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.ComponentReleasesTemplate)] HttpRequest req,
        string component) =>
        releases.ListAsync(component, req.HttpContext.RequestAborted);

    /// <summary>The checked-in <c>docs/openapi.json</c> (embedded in the library); the dev host serves the generated one.</summary>
    [Function(nameof(RollbackRoutes.OpenApiDocument))]
    public Task<IResult> GetOpenApiDocumentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.OpenApiDocumentTemplate)] HttpRequest req) =>
        apiDocument.GetAsync(req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.GetReadiness))]
    public Task<IResult> GetReadinessAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.ReadinessTemplate)] HttpRequest req) =>
        readiness.GetAsync(req.HttpContext.RequestAborted);
}
