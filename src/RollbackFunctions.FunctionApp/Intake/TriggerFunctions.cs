using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using RollbackFunctions.Intake;

namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The trigger routes of API.md; each calls the shared handler the dev host maps too.</summary>
public sealed class TriggerFunctions(
    AlertIntakeHandler alerts,
    EventIntakeHandler events,
    PipelineRollbackHandler rollbacks,
    ReleaseHandler releases)
{
    [Function("Alerts")]
    public Task<IResult> AlertsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        alerts.ReceiveAsync(req, client, cancellationToken);

    [Function("Events")]
    public Task<IResult> EventsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "events")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        events.ReceiveAsync(req, client, cancellationToken);

    /// <summary>The CloudEvents abuse-protection handshake: Event Grid sends it without a key.</summary>
    [Function("EventsHandshake")]
    public static IResult EventsHandshake(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "events")] HttpRequest req) =>
        EventIntakeHandler.Handshake(req);

    [Function("RequestRollback")]
    public Task<IResult> RequestRollbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rollbacks")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        rollbacks.RequestAsync(req, client, cancellationToken);

    [Function("RecordRelease")]
    public Task<IResult> RecordReleaseAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "releases")] HttpRequest req,
        CancellationToken cancellationToken) =>
        releases.RecordAsync(req, cancellationToken);
}
