namespace RollbackFunctions.Intake;

/// <summary>One route of API.md: the function and endpoint name, its HTTP method and its template under <c>/api</c>.</summary>
/// <param name="Anonymous">Needs no key (the Event Grid OPTIONS handshake only).</param>
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

    public const string AlertsName = "Alerts";
    public const string AlertsTemplate = "alerts";
    public const string EventsName = "Events";
    public const string EventsTemplate = "events";
    public const string EventsHandshakeName = "EventsHandshake";
    public const string RequestRollbackName = "RequestRollback";
    public const string RollbacksTemplate = "rollbacks";
    public const string RecordReleaseName = "RecordRelease";
    public const string ReleasesTemplate = "releases";
    public const string GetRollbackName = "GetRollback";
    public const string RollbackTemplate = "rollbacks/{id}";
    public const string ListRollbacksName = "ListRollbacks";
    public const string GetComponentName = "GetComponent";
    public const string ComponentTemplate = "components/{component}";
    public const string GetRollbackPlanName = "GetRollbackPlan";
    public const string RollbackPlanTemplate = "components/{component}/rollback-plan";
    public const string ListReleasesName = "ListReleases";
    public const string ComponentReleasesTemplate = "releases/{component}";
    public const string ConfirmRollbackName = "ConfirmRollback";
    public const string ConfirmTemplate = "rollbacks/{id}/confirm";
    public const string UnfreezeComponentName = "UnfreezeComponent";
    public const string UnfreezeTemplate = "components/{component}/unfreeze";
    public const string OperatorPageName = "OperatorPage";
    public const string OperatorPageTemplate = "operator";

    public static RollbackRoute Alerts { get; } = new(AlertsName, "POST", AlertsTemplate);

    public static RollbackRoute Events { get; } = new(EventsName, "POST", EventsTemplate);

    public static RollbackRoute EventsHandshake { get; } = new(EventsHandshakeName, "OPTIONS", EventsTemplate, Anonymous: true);

    public static RollbackRoute RequestRollback { get; } = new(RequestRollbackName, "POST", RollbacksTemplate);

    public static RollbackRoute RecordRelease { get; } = new(RecordReleaseName, "POST", ReleasesTemplate);

    public static RollbackRoute GetRollback { get; } = new(GetRollbackName, "GET", RollbackTemplate);

    public static RollbackRoute ListRollbacks { get; } = new(ListRollbacksName, "GET", RollbacksTemplate);

    public static RollbackRoute GetComponent { get; } = new(GetComponentName, "GET", ComponentTemplate);

    public static RollbackRoute GetRollbackPlan { get; } = new(GetRollbackPlanName, "GET", RollbackPlanTemplate);

    public static RollbackRoute ListReleases { get; } = new(ListReleasesName, "GET", ComponentReleasesTemplate);

    public static RollbackRoute ConfirmRollback { get; } = new(ConfirmRollbackName, "POST", ConfirmTemplate);

    public static RollbackRoute UnfreezeComponent { get; } = new(UnfreezeComponentName, "POST", UnfreezeTemplate);

    public static RollbackRoute OperatorPage { get; } = new(OperatorPageName, "GET", OperatorPageTemplate);

    public static IReadOnlyList<RollbackRoute> All { get; } =
    [
        Alerts, Events, EventsHandshake, RequestRollback, RecordRelease,
        GetRollback, ListRollbacks, GetComponent, GetRollbackPlan, ListReleases,
        ConfirmRollback, UnfreezeComponent, OperatorPage,
    ];

    /// <summary>The route a function or endpoint name stands for, or null.</summary>
    public static RollbackRoute? Named(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
