using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using RollbackFunctions.Gate;
using RollbackFunctions.Intake.OpenApi;
using RollbackFunctions.Observability;
using RollbackFunctions.Workflow;
using RollbackFunctions.Security;
using RollbackFunctions.Drills;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Intake;

/// <summary>
/// Every route of <see cref="RollbackRoutes"/> as minimal APIs under <c>/api</c>, for the dev host and the tests. Each
/// route calls the same handler method the Functions app's <c>[Function]</c> wrapper calls. Every route admits the
/// roles its <see cref="RouteAccess"/> names (<see cref="CallerAuthorization"/>) except the Event Grid OPTIONS
/// handshake and the GitHub webhook (its signature authenticates it).
/// </summary>
public static class RollbackApiEndpoints
{
    /// <summary>
    /// The whole API with answers for what matches no route: problem-details <c>404</c>/<c>405</c> (ASP.NET Core's
    /// status-code pages through <see cref="IProblemDetailsService"/>), after the same authentication as the routes, so
    /// a caller without a credential learns nothing of the API but <c>401</c>.
    /// </summary>
    public static WebApplication UseRollbackApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            // Before the endpoint binds its parameters, so every handler's token carries the deadline.
            IntakeDeadline.Start(context, context.RequestServices.GetRequiredService<IOptionsMonitor<RollbackApiOptions>>().CurrentValue.AnswerWithin);

            // Our endpoints check callers themselves; anything else (no endpoint, or routing's 405 endpoint) is checked here.
            if (context.GetEndpoint()?.Metadata.GetMetadata<RollbackRoute>() is null)
            {
                if (await context.RequestServices.GetRequiredService<CallerAuthorization>().AdmitAsync(context, null).ConfigureAwait(false) is { } refusal)
                {
                    await refusal.ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                context.RequestServices.GetRequiredService<IntakeRequests>().Observe(context, null);
            }

            await next(context).ConfigureAwait(false);
        });
        app.MapRollbackApi();
        return app;
    }

    public static RouteGroupBuilder MapRollbackApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/" + RollbackRoutes.Prefix).AddEndpointFilter<IntakeEndpointFilter>();

        // The CloudEvents abuse-protection handshake carries no key (Event Grid sends it before any delivery).
        api.Map(RollbackRoutes.EventsHandshake, EventIntakeHandler.Handshake).WithTags("Triggers")
            .WithSummary("The CloudEvents abuse-protection handshake (WebHook-Allowed-Origin)").Produces(StatusCodes.Status200OK);

        // GitHub sends no key: X-Hub-Signature-256 over the raw body authenticates the delivery.
        api.Map(RollbackRoutes.GitHubDeploymentProtection, (HttpRequest request, [FromServices] DeploymentGateHandler handler, CancellationToken ct) =>
            handler.ReceiveProtectionRuleAsync(request, ct)).WithTags("Gate")
            .WithSummary("A GitHub App's deployment_protection_rule webhook: approves or rejects through the gate")
            .Accepts<JsonElement>(Json).Produces<DeploymentProtectionAnswer>().WithProblems(400, 401, 422, 503);

        var secured = api.MapGroup("").AddEndpointFilter<CallerAuthorizationFilter>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        var triggers = secured.MapGroup("").WithTags("Triggers");
        triggers.Map(RollbackRoutes.Alerts, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] AlertIntakeHandler handler, CancellationToken ct) =>
            handler.ReceiveAsync(request, client, ct))
            .WithSummary("An Azure Monitor alert (common alert schema): Fired starts or joins a rollback, Resolved is recorded")
            .Accepts<AzureMonitorAlertBody>(Json).Produces<RollbackAccepted>(StatusCodes.Status202Accepted).Produces<AlertRecorded>().WithProblems(400, 422, 503);
        triggers.Map(RollbackRoutes.Events, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] EventIntakeHandler handler, CancellationToken ct) =>
            handler.ReceiveAsync(request, client, ct))
            .WithSummary("Event Grid events or CloudEvents 1.0 (single or batch), and the subscription validation handshake")
            .Accepts<JsonElement>(Json, "application/cloudevents+json", "application/cloudevents-batch+json").Produces<EventBatchApplied>().WithProblems(400, 409, 422, 503);
        triggers.Map(RollbackRoutes.RequestRollback, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] PipelineRollbackHandler handler, CancellationToken ct) =>
            handler.RequestAsync(request, client, ct))
            .WithSummary("A pipeline requests a rollback of a component")
            .Accepts<PipelineRollbackBody>(Json).Produces<RollbackAccepted>(StatusCodes.Status202Accepted).WithProblems(400, 409, 422, 503);
        triggers.Map(RollbackRoutes.RecordRelease, (HttpRequest request, [FromServices] ReleaseHandler handler, CancellationToken ct) =>
            handler.RecordAsync(request, ct))
            .WithSummary("A pipeline records a release: Deployed, Verified (known healthy) or Failed")
            .Accepts<ReleaseBody>(Json).Produces<ReleaseView>(StatusCodes.Status201Created).Produces<ReleaseView>().WithProblems(400, 409, 422, 503);

        var reading = secured.MapGroup("").WithTags("Reading");
        reading.Map(RollbackRoutes.GetRollback, (string id, [FromServices] DurableTaskClient client, [FromServices] RollbackReadHandler handler, CancellationToken ct) =>
            handler.GetAsync(id, client, ct))
            .WithSummary("A rollback with its trigger, target, phase, outcome and timeline").Produces<RollbackView>().WithProblems(400, 404, 503);
        reading.Map(RollbackRoutes.ListRollbacks, (HttpRequest request, [FromServices] RollbackReadHandler handler, CancellationToken ct) =>
            handler.ListAsync(request, ct))
            .WithSummary("Rollbacks, newest first (query: component, limit)").Produces<RollbackList>().WithProblems(400, 503);
        reading.Map(RollbackRoutes.GetComponent, (string component, [FromServices] DurableTaskClient client, [FromServices] ComponentReadHandler handler, CancellationToken ct) =>
            handler.GetAsync(component, client, ct))
            .WithSummary("A component: current and last known-good version, frozen or not, the active rollback").Produces<ComponentView>().WithProblems(400, 422, 503);
        reading.Map(RollbackRoutes.GetRollbackPlan, (string component, HttpRequest request, [FromServices] ComponentReadHandler handler, CancellationToken ct) =>
            handler.PlanAsync(component, request, ct))
            .WithSummary("A dry run: the target a rollback would choose now and every precondition (query: targetVersion)").Produces<RollbackPlan>().WithProblems(400, 422, 503);
        reading.Map(RollbackRoutes.ListReleases, (string component, [FromServices] ReleaseHandler handler, CancellationToken ct) =>
            handler.ListAsync(component, ct))
            .WithSummary("The release ledger of a component, newest first").Produces<ReleaseLedgerView>().WithProblems(400, 422, 503);
        reading.Map(RollbackRoutes.OpenApiDocument, ([FromServices] ApiDocumentHandler handler, CancellationToken ct) => handler.GetAsync(ct))
            .WithSummary("This OpenAPI 3.1 document").Produces(StatusCodes.Status200OK, contentType: Json);
        reading.Map(RollbackRoutes.GetReadiness, ([FromServices] ReadinessHandler handler, CancellationToken ct) =>
            handler.GetAsync(ct))
            .WithSummary("Every component: would a rollback now be accepted, its target or failing precondition, the gate, R so far, the last drill")
            .Produces<ReadinessReport>().WithProblems(503);
        reading.Map(RollbackRoutes.GetDrill, (string id, [FromServices] DurableTaskClient client, [FromServices] DrillHandler handler, CancellationToken ct) =>
            handler.GetAsync(id, client, ct))
            .WithSummary("A rollback drill with its timeline, as a rollback's").Produces<RollbackView>().WithProblems(400, 404, 503);
        reading.Map(RollbackRoutes.ListDrills, (HttpRequest request, [FromServices] DrillHandler handler, CancellationToken ct) =>
            handler.ListAsync(request, ct))
            .WithSummary("Drills, newest first (query: component, limit)").Produces<DrillList>().WithProblems(400, 503);

        secured.Map(RollbackRoutes.GetDeploymentGate, (string component, [FromServices] DeploymentGateHandler handler, CancellationToken ct) =>
            handler.GetAsync(component, ct)).WithTags("Gate")
            .WithSummary("The deployment gate: closed while a rollback is active or the component is frozen").Produces<GateState>().WithProblems(400, 404, 422, 503);

        var operators = secured.MapGroup("").WithTags("Operators");
        operators.Map(RollbackRoutes.ConfirmRollback, (string id, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.ConfirmAsync(request, id, client, ct))
            .WithSummary("An operator confirms restored availability (section 8)")
            .Accepts<ConfirmBody>(Json).Produces<ConfirmationAccepted>(StatusCodes.Status202Accepted).WithProblems(400, 404, 409, 503);
        operators.Map(RollbackRoutes.AbortRollback, (string id, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.AbortAsync(request, id, client, ct))
            .WithSummary("An operator stops a rollback in flight: it ends Aborted, cancels the deployment, escalates and freezes")
            .Accepts<AbortBody>(Json).Produces(StatusCodes.Status202Accepted).WithProblems(400, 404, 409, 503);
        operators.Map(RollbackRoutes.UnfreezeComponent, (string component, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.UnfreezeAsync(request, component, client, ct))
            .WithSummary("Lifts the freeze after a failed rollback, with the incident reference and the analysis (section 11)")
            .Accepts<UnfreezeBody>(Json).Produces<ComponentView>().WithProblems(400, 409, 422, 503);

        operators.Map(RollbackRoutes.StartDrill, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] DrillHandler handler, CancellationToken ct) =>
            handler.StartAsync(request, client, ct))
            .WithSummary("Starts a rollback drill against the component's drill environment")
            .Accepts<DrillBody>(Json).Produces<DrillAccepted>(StatusCodes.Status202Accepted).WithProblems(400, 422, 503);

        // Read-only, Reader, as the JSON routes it reads.
        operators.Map(RollbackRoutes.OperatorPage, (HttpRequest request, [FromServices] OperatorPageHandler page) => page.Render(request))
            .WithSummary("The operator page (HTML)").Produces(StatusCodes.Status200OK, contentType: "text/html");

        return api;
    }

    private const string Json = "application/json";

    /// <summary>Problem details (RFC 9457) for each status.</summary>
    private static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    private static RouteHandlerBuilder Map(this IEndpointRouteBuilder group, RollbackRoute route, Delegate handler) =>
        group.MapMethods("/" + route.Template, [route.Method], handler).WithName(route.Name).WithMetadata(route);
}
