using RollbackFunctions.Security;

namespace RollbackFunctions.Intake;

/// <summary>One route of API.md: the function and endpoint name, its HTTP method, its template under <c>/api</c> and who may call it.</summary>
/// <param name="Access">The roles that may call it (API.md "Who may call what"): declaring a route is declaring its access.</param>
public sealed record RollbackRoute(string Name, string Method, string Template, RouteAccess Access)
{
    /// <summary>Needs no credential: the Event Grid OPTIONS handshake, and the GitHub webhook its signature authenticates.</summary>
    public bool Anonymous => Access.IsAnonymous;

    /// <summary>The label metrics carry on both hosts: <c>POST /api/rollbacks</c>.</summary>
    public string Label { get; } = Method + " /" + RollbackRoutes.Prefix + "/" + Template;
}

/// <summary>
/// Every route of API.md, once: the Functions app's <c>[Function]</c> names and <c>[HttpTrigger]</c> routes (attribute
/// arguments, hence constants), the dev host's <see cref="RollbackApiEndpoints.MapRollbackApi"/> and the tests read
/// these. host.json's route prefix is <see cref="Prefix"/>.
/// </summary>
public static class RollbackRoutes
{
    public const string Prefix = "api";

    // Templates are constants for the [HttpTrigger] attributes; a route's name is its property's, nameof(...) in [Function].
    public const string AlertsTemplate = "alerts";
    public const string EventsTemplate = "events";
    public const string RollbacksTemplate = "rollbacks";
    public const string RollbackTemplate = RollbacksTemplate + "/{id}";
    public const string ConfirmTemplate = RollbackTemplate + "/confirm";
    public const string AbortTemplate = RollbackTemplate + "/abort";
    public const string ReleasesTemplate = "releases";
    public const string ComponentReleasesTemplate = ReleasesTemplate + "/{component}";
    public const string ComponentTemplate = "components/{component}";
    public const string RollbackPlanTemplate = ComponentTemplate + "/rollback-plan";
    public const string UnfreezeTemplate = ComponentTemplate + "/unfreeze";
    public const string OperatorPageTemplate = "operator";
    public const string GateTemplate = ComponentTemplate + "/gate";
    public const string GitHubDeploymentProtectionTemplate = "github/deployment-protection";
    public const string OpenApiDocumentTemplate = "openapi.json";
    public const string DrillsTemplate = "drills";
    public const string DrillTemplate = DrillsTemplate + "/{id}";
    public const string ReadinessTemplate = "readiness";

    public static RollbackRoute Alerts { get; } = new(nameof(Alerts), "POST", AlertsTemplate, RouteAccess.Signals);

    public static RollbackRoute Events { get; } = new(nameof(Events), "POST", EventsTemplate, RouteAccess.Signals);

    public static RollbackRoute EventsHandshake { get; } = new(nameof(EventsHandshake), "OPTIONS", EventsTemplate, RouteAccess.Anonymous);

    public static RollbackRoute RequestRollback { get; } = new(nameof(RequestRollback), "POST", RollbacksTemplate, RouteAccess.Pipeline);

    public static RollbackRoute RecordRelease { get; } = new(nameof(RecordRelease), "POST", ReleasesTemplate, RouteAccess.Pipeline);

    public static RollbackRoute GetRollback { get; } = new(nameof(GetRollback), "GET", RollbackTemplate, RouteAccess.Reader);

    public static RollbackRoute ListRollbacks { get; } = new(nameof(ListRollbacks), "GET", RollbacksTemplate, RouteAccess.Reader);

    public static RollbackRoute GetComponent { get; } = new(nameof(GetComponent), "GET", ComponentTemplate, RouteAccess.Reader);

    public static RollbackRoute GetRollbackPlan { get; } = new(nameof(GetRollbackPlan), "GET", RollbackPlanTemplate, RouteAccess.Reader);

    public static RollbackRoute ListReleases { get; } = new(nameof(ListReleases), "GET", ComponentReleasesTemplate, RouteAccess.Reader);

    public static RollbackRoute ConfirmRollback { get; } = new(nameof(ConfirmRollback), "POST", ConfirmTemplate, RouteAccess.Operator);

    public static RollbackRoute UnfreezeComponent { get; } = new(nameof(UnfreezeComponent), "POST", UnfreezeTemplate, RouteAccess.Operator);

    public static RollbackRoute OperatorPage { get; } = new(nameof(OperatorPage), "GET", OperatorPageTemplate, RouteAccess.Reader);

    public static RollbackRoute GetDeploymentGate { get; } = new(nameof(GetDeploymentGate), "GET", GateTemplate, RouteAccess.Gate);

    /// <summary>GitHub sends no key: the <c>X-Hub-Signature-256</c> over the body authenticates the delivery.</summary>
    public static RollbackRoute GitHubDeploymentProtection { get; } = new(nameof(GitHubDeploymentProtection), "POST", GitHubDeploymentProtectionTemplate, RouteAccess.Anonymous);

    public static RollbackRoute AbortRollback { get; } = new(nameof(AbortRollback), "POST", AbortTemplate, RouteAccess.Operator);

    public static RollbackRoute StartDrill { get; } = new(nameof(StartDrill), "POST", DrillsTemplate, RouteAccess.Operator);

    public static RollbackRoute GetDrill { get; } = new(nameof(GetDrill), "GET", DrillTemplate, RouteAccess.Reader);

    public static RollbackRoute ListDrills { get; } = new(nameof(ListDrills), "GET", DrillsTemplate, RouteAccess.Reader);

    public static RollbackRoute GetReadiness { get; } = new(nameof(GetReadiness), "GET", ReadinessTemplate, RouteAccess.Reader);

    /// <summary>
    /// Routes of API.md whose handlers are still being built: declared here with their access so the security tests
    /// cover them; a route moves to <see cref="All"/> with its handler, its dev host mapping and its Functions wrapper.
    /// </summary>
    public static IReadOnlyList<RollbackRoute> Unmapped { get; } = [];

    /// <summary>The OpenAPI 3.1 document of this API; a <c>GET</c> like the others, so a Reader's.</summary>
    public static RollbackRoute OpenApiDocument { get; } = new(nameof(OpenApiDocument), "GET", OpenApiDocumentTemplate, RouteAccess.Reader);

    public static IReadOnlyList<RollbackRoute> All { get; } =
    [
        Alerts, Events, EventsHandshake, RequestRollback, RecordRelease,
        GetRollback, ListRollbacks, GetComponent, GetRollbackPlan, ListReleases,
        ConfirmRollback, AbortRollback, UnfreezeComponent, OperatorPage, GetDeploymentGate, GitHubDeploymentProtection, OpenApiDocument,
        GetReadiness, StartDrill, GetDrill, ListDrills,
    ];

    /// <summary>The route a function or endpoint name stands for, or null.</summary>
    public static RollbackRoute? Named(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
