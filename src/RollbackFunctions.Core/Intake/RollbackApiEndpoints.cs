using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using RollbackFunctions.Observability;

namespace RollbackFunctions.Intake;

/// <summary>
/// Every route of API.md as minimal APIs under <c>/api</c>, for the dev host and the tests. Each route calls the same
/// handler method the Functions app's <c>[Function]</c> wrapper calls. Every route needs a key except the Event Grid
/// OPTIONS handshake.
/// </summary>
public static class RollbackApiEndpoints
{
    public static RouteGroupBuilder MapRollbackApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api")
            .AddEndpointFilter<IntakeMetricsEndpointFilter>()
            .AddEndpointFilter<DependencyFailureEndpointFilter>();

        // The CloudEvents abuse-protection handshake carries no key (Event Grid sends it before any delivery).
        api.MapMethods("/events", [HttpMethods.Options], EventIntakeHandler.Handshake).WithTags("Triggers").WithName("EventsHandshake");

        var secured = api.MapGroup("").AddEndpointFilter<ApiKeyEndpointFilter>();

        var triggers = secured.MapGroup("").WithTags("Triggers");
        triggers.MapPost("/alerts", (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] AlertIntakeHandler handler, CancellationToken ct) =>
            handler.ReceiveAsync(request, client, ct)).WithName("Alerts");
        triggers.MapPost("/events", (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] EventIntakeHandler handler, CancellationToken ct) =>
            handler.ReceiveAsync(request, client, ct)).WithName("Events");
        triggers.MapPost("/rollbacks", (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] PipelineRollbackHandler handler, CancellationToken ct) =>
            handler.RequestAsync(request, client, ct)).WithName("RequestRollback");
        triggers.MapPost("/releases", (HttpRequest request, [FromServices] ReleaseHandler handler, CancellationToken ct) =>
            handler.RecordAsync(request, ct)).WithName("RecordRelease");

        var reading = secured.MapGroup("").WithTags("Reading");
        reading.MapGet("/rollbacks/{id}", (string id, [FromServices] DurableTaskClient client, [FromServices] RollbackReadHandler handler, CancellationToken ct) =>
            handler.GetAsync(id, client, ct)).WithName("GetRollback");
        reading.MapGet("/rollbacks", (HttpRequest request, [FromServices] RollbackReadHandler handler, CancellationToken ct) =>
            handler.ListAsync(request, ct)).WithName("ListRollbacks");
        reading.MapGet("/components/{component}", (string component, [FromServices] DurableTaskClient client, [FromServices] ComponentReadHandler handler, CancellationToken ct) =>
            handler.GetAsync(component, client, ct)).WithName("GetComponent");
        reading.MapGet("/components/{component}/rollback-plan", (string component, HttpRequest request, [FromServices] ComponentReadHandler handler, CancellationToken ct) =>
            handler.PlanAsync(component, request, ct)).WithName("GetRollbackPlan");
        reading.MapGet("/releases/{component}", (string component, [FromServices] ReleaseHandler handler, CancellationToken ct) =>
            handler.ListAsync(component, ct)).WithName("ListReleases");

        var operators = secured.MapGroup("").WithTags("Operators");
        operators.MapPost("/rollbacks/{id}/confirm", (string id, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.ConfirmAsync(request, id, client, ct)).WithName("ConfirmRollback");
        operators.MapPost("/components/{component}/unfreeze", (string component, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.UnfreezeAsync(request, component, client, ct)).WithName("UnfreezeComponent");

        // Read-only, same key rule as the JSON routes it reads.
        secured.MapGet("/" + OperatorPageHandler.Route, (HttpRequest request, [FromServices] OperatorPageHandler page) => page.Render(request))
            .WithTags("Operators").WithName("OperatorPage");

        return api;
    }
}
