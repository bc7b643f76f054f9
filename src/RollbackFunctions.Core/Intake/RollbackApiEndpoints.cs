using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackFunctions.Drills;
using RollbackFunctions.Observability;
using RollbackFunctions.Readiness;

namespace RollbackFunctions.Intake;

/// <summary>
/// Every route of <see cref="RollbackRoutes"/> as minimal APIs under <c>/api</c>, for the dev host and the tests. Each
/// route calls the same handler method the Functions app's <c>[Function]</c> wrapper calls. Every route needs a key
/// except the Event Grid OPTIONS handshake and the GitHub webhook (its signature authenticates it).
/// </summary>
public static class RollbackApiEndpoints
{
    /// <summary>
    /// The whole API with answers for what matches no route: problem-details <c>404</c>/<c>405</c> (ASP.NET Core's
    /// status-code pages through <see cref="IProblemDetailsService"/>), after the same key check as the routes, so a
    /// caller without a key learns nothing of the API but <c>401</c>.
    /// </summary>
    public static WebApplication UseRollbackApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            // Our endpoints check keys themselves; anything else (no endpoint, or routing's 405 endpoint) is checked here.
            if (context.GetEndpoint()?.Metadata.GetMetadata<RollbackRoute>() is null)
            {
                var keys = context.RequestServices.GetRequiredService<IOptionsMonitor<RollbackApiOptions>>().CurrentValue.Keys;
                if (!ApiKeyEndpointFilter.IsValid(ApiKeyEndpointFilter.Presented(context.Request), keys))
                {
                    await Problems.Unauthorized().ExecuteAsync(context).ConfigureAwait(false);
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
        api.Map(RollbackRoutes.EventsHandshake, EventIntakeHandler.Handshake).WithTags("Triggers");

        // GitHub sends no key: X-Hub-Signature-256 over the raw body authenticates the delivery.
        api.Map(RollbackRoutes.GitHubDeploymentProtection, (HttpRequest request, [FromServices] DeploymentGateHandler handler, CancellationToken ct) =>
            handler.ReceiveProtectionRuleAsync(request, ct)).WithTags("Gate");

        var secured = api.MapGroup("").AddEndpointFilter<ApiKeyEndpointFilter>();

        var triggers = secured.MapGroup("").WithTags("Triggers");
        triggers.Map(RollbackRoutes.Alerts, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] AlertIntakeHandler handler, CancellationToken ct) =>
            handler.ReceiveAsync(request, client, ct));
        triggers.Map(RollbackRoutes.Events, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] EventIntakeHandler handler, CancellationToken ct) =>
            handler.ReceiveAsync(request, client, ct));
        triggers.Map(RollbackRoutes.RequestRollback, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] PipelineRollbackHandler handler, CancellationToken ct) =>
            handler.RequestAsync(request, client, ct));
        triggers.Map(RollbackRoutes.RecordRelease, (HttpRequest request, [FromServices] ReleaseHandler handler, CancellationToken ct) =>
            handler.RecordAsync(request, ct));

        var reading = secured.MapGroup("").WithTags("Reading");
        reading.Map(RollbackRoutes.GetRollback, (string id, [FromServices] DurableTaskClient client, [FromServices] RollbackReadHandler handler, CancellationToken ct) =>
            handler.GetAsync(id, client, ct));
        reading.Map(RollbackRoutes.ListRollbacks, (HttpRequest request, [FromServices] RollbackReadHandler handler, CancellationToken ct) =>
            handler.ListAsync(request, ct));
        reading.Map(RollbackRoutes.GetComponent, (string component, [FromServices] DurableTaskClient client, [FromServices] ComponentReadHandler handler, CancellationToken ct) =>
            handler.GetAsync(component, client, ct));
        reading.Map(RollbackRoutes.GetRollbackPlan, (string component, HttpRequest request, [FromServices] ComponentReadHandler handler, CancellationToken ct) =>
            handler.PlanAsync(component, request, ct));
        reading.Map(RollbackRoutes.ListReleases, (string component, [FromServices] ReleaseHandler handler, CancellationToken ct) =>
            handler.ListAsync(component, ct));
        reading.Map(RollbackRoutes.GetReadiness, ([FromServices] ReadinessHandler handler, CancellationToken ct) =>
            handler.GetAsync(ct));
        reading.Map(RollbackRoutes.GetDrill, (string id, [FromServices] DurableTaskClient client, [FromServices] DrillHandler handler, CancellationToken ct) =>
            handler.GetAsync(id, client, ct));
        reading.Map(RollbackRoutes.ListDrills, (HttpRequest request, [FromServices] DrillHandler handler, CancellationToken ct) =>
            handler.ListAsync(request, ct));

        secured.Map(RollbackRoutes.GetDeploymentGate, (string component, [FromServices] DeploymentGateHandler handler, CancellationToken ct) =>
            handler.GetAsync(component, ct)).WithTags("Gate");

        var operators = secured.MapGroup("").WithTags("Operators");
        operators.Map(RollbackRoutes.ConfirmRollback, (string id, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.ConfirmAsync(request, id, client, ct));
        operators.Map(RollbackRoutes.UnfreezeComponent, (string component, HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] OperatorActionHandler handler, CancellationToken ct) =>
            handler.UnfreezeAsync(request, component, client, ct));

        operators.Map(RollbackRoutes.StartDrill, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] DrillHandler handler, CancellationToken ct) =>
            handler.StartAsync(request, client, ct));

        // Read-only, same key rule as the JSON routes it reads.
        operators.Map(RollbackRoutes.OperatorPage, (HttpRequest request, [FromServices] OperatorPageHandler page) => page.Render(request));

        return api;
    }

    private static RouteHandlerBuilder Map(this IEndpointRouteBuilder group, RollbackRoute route, Delegate handler) =>
        group.MapMethods("/" + route.Template, [route.Method], handler).WithName(route.Name).WithMetadata(route);
}
