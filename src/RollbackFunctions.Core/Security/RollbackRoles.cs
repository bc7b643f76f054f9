namespace RollbackFunctions.Security;

/// <summary>
/// The app roles of API.md "Who may call what". The same names are the Entra ID app roles (the <c>roles</c> claim of
/// a token or of the App Service principal) and the values of <c>RollbackApi:Keys:{name}:Roles</c>.
/// </summary>
public static class RollbackRoles
{
    /// <summary>Every GET and the operator page.</summary>
    public const string Reader = "Reader";

    /// <summary>Records releases, requests rollbacks, asks the gate.</summary>
    public const string Pipeline = "Pipeline";

    /// <summary>Azure Monitor action groups: alerts and events.</summary>
    public const string Alerts = "Alerts";

    /// <summary>Event Grid subscriptions: events and alerts.</summary>
    public const string Events = "Events";

    /// <summary>Confirms, unfreezes, aborts, starts drills, and everything <see cref="Reader"/> may.</summary>
    public const string Operator = "Operator";

    public static IReadOnlyList<string> All { get; } = [Reader, Pipeline, Alerts, Events, Operator];

    /// <summary>The role as spelled in <see cref="All"/>, or null when <paramref name="role"/> is none of them.</summary>
    public static string? Known(string? role) => All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}
