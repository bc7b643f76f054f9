namespace RollbackFunctions.Intake;

/// <summary>One route of API.md: the function and endpoint name, its HTTP method and its template under <c>/api</c>.</summary>
/// <param name="Anonymous">Needs no key: the Event Grid OPTIONS handshake, and the GitHub webhook its signature authenticates.</param>
public sealed record RollbackRoute(string Name, string Method, string Template, bool Anonymous = false)
{
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
    public const string ReleasesTemplate = "releases";
    public const string ComponentReleasesTemplate = ReleasesTemplate + "/{component}";
    public const string ComponentTemplate = "components/{component}";
    public const string RollbackPlanTemplate = ComponentTemplate + "/rollback-plan";
    public const string UnfreezeTemplate = ComponentTemplate + "/unfreeze";
    public const string OperatorPageTemplate = "operator";
    public const string GateTemplate = ComponentTemplate + "/gate";
    public const string GitHubDeploymentProtectionTemplate = "github/deployment-protection";
    public const string ReadinessTemplate = "readiness";
    public const string DrillsTemplate = "drills";
    public const string DrillTemplate = DrillsTemplate + "/{id}";

    public static RollbackRoute Alerts { get; } = new(nameof(Alerts), "POST", AlertsTemplate);

    public static RollbackRoute Events { get; } = new(nameof(Events), "POST", EventsTemplate);

    public static RollbackRoute EventsHandshake { get; } = new(nameof(EventsHandshake), "OPTIONS", EventsTemplate, Anonymous: true);

    public static RollbackRoute RequestRollback { get; } = new(nameof(RequestRollback), "POST", RollbacksTemplate);

    public static RollbackRoute RecordRelease { get; } = new(nameof(RecordRelease), "POST", ReleasesTemplate);

    public static RollbackRoute GetRollback { get; } = new(nameof(GetRollback), "GET", RollbackTemplate);

    public static RollbackRoute ListRollbacks { get; } = new(nameof(ListRollbacks), "GET", RollbacksTemplate);

    public static RollbackRoute GetComponent { get; } = new(nameof(GetComponent), "GET", ComponentTemplate);

    public static RollbackRoute GetRollbackPlan { get; } = new(nameof(GetRollbackPlan), "GET", RollbackPlanTemplate);

    public static RollbackRoute ListReleases { get; } = new(nameof(ListReleases), "GET", ComponentReleasesTemplate);

    public static RollbackRoute ConfirmRollback { get; } = new(nameof(ConfirmRollback), "POST", ConfirmTemplate);

    public static RollbackRoute UnfreezeComponent { get; } = new(nameof(UnfreezeComponent), "POST", UnfreezeTemplate);

    public static RollbackRoute OperatorPage { get; } = new(nameof(OperatorPage), "GET", OperatorPageTemplate);

    public static RollbackRoute GetDeploymentGate { get; } = new(nameof(GetDeploymentGate), "GET", GateTemplate);

    /// <summary>GitHub sends no key: the <c>X-Hub-Signature-256</c> over the body authenticates the delivery.</summary>
    public static RollbackRoute GitHubDeploymentProtection { get; } = new(nameof(GitHubDeploymentProtection), "POST", GitHubDeploymentProtectionTemplate, Anonymous: true);

    public static RollbackRoute GetReadiness { get; } = new(nameof(GetReadiness), "GET", ReadinessTemplate);

    public static RollbackRoute StartDrill { get; } = new(nameof(StartDrill), "POST", DrillsTemplate);

    public static RollbackRoute GetDrill { get; } = new(nameof(GetDrill), "GET", DrillTemplate);

    public static RollbackRoute ListDrills { get; } = new(nameof(ListDrills), "GET", DrillsTemplate);

    public static IReadOnlyList<RollbackRoute> All { get; } =
    [
        Alerts, Events, EventsHandshake, RequestRollback, RecordRelease,
        GetRollback, ListRollbacks, GetComponent, GetRollbackPlan, ListReleases,
        ConfirmRollback, UnfreezeComponent, OperatorPage, GetDeploymentGate, GitHubDeploymentProtection,
        GetReadiness, StartDrill, GetDrill, ListDrills,
    ];

    /// <summary>The route a function or endpoint name stands for, or null.</summary>
    public static RollbackRoute? Named(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
