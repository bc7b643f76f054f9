namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The trigger routes of API.md; each calls the shared handler the dev host maps too.</summary>
public sealed class TriggerFunctions(
    AlertIntakeHandler alerts,
    EventIntakeHandler events,
    PipelineRollbackHandler rollbacks,
    ReleaseHandler releases)
{
    [Function(nameof(RollbackRoutes.Alerts))]
    public Task<IResult> AlertsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.AlertsTemplate)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        alerts.ReceiveAsync(req, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.Events))]
    public Task<IResult> EventsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.EventsTemplate)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        events.ReceiveAsync(req, client, req.HttpContext.RequestAborted);

    /// <summary>The CloudEvents abuse-protection handshake: Event Grid sends it without a key.</summary>
    [Function(nameof(RollbackRoutes.EventsHandshake))]
    public static IResult EventsHandshake(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = RollbackRoutes.EventsTemplate)] HttpRequest req) =>
        EventIntakeHandler.Handshake(req);

    [Function(nameof(RollbackRoutes.RequestRollback))]
    public Task<IResult> RequestRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.RollbacksTemplate)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        rollbacks.RequestAsync(req, client, req.HttpContext.RequestAborted);

    [Function(nameof(RollbackRoutes.RecordRelease))]
    public Task<IResult> RecordReleaseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.ReleasesTemplate)] HttpRequest req) =>
        releases.RecordAsync(req, req.HttpContext.RequestAborted);
}
