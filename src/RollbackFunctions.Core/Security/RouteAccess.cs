namespace RollbackFunctions.Security;

/// <summary>
/// Who may call a route: any one of <see cref="Roles"/> (API.md "Who may call what"). Each route of the route table
/// declares one; the authorization policy of that name is the one role check both hosts run.
/// </summary>
public sealed record RouteAccess
{
    private RouteAccess(string name, params IReadOnlyList<string> roles) => (Name, Roles) = (name, roles);

    /// <summary>No credential: the Event Grid OPTIONS handshake, and the GitHub webhook its signature authenticates.</summary>
    public static RouteAccess Anonymous { get; } = new(nameof(Anonymous));

    /// <summary>Every GET and the operator page; <see cref="RollbackRoles.Operator"/> includes everything Reader may.</summary>
    public static RouteAccess Reader { get; } = new(nameof(Reader), RollbackRoles.Reader, RollbackRoles.Operator);

    /// <summary>The gate is read by pipelines before they deploy, and by readers.</summary>
    public static RouteAccess Gate { get; } = new(nameof(Gate), RollbackRoles.Pipeline, RollbackRoles.Reader, RollbackRoles.Operator);

    /// <summary><c>POST /api/releases</c>, <c>POST /api/rollbacks</c>.</summary>
    public static RouteAccess Pipeline { get; } = new(nameof(Pipeline), RollbackRoles.Pipeline);

    /// <summary><c>POST /api/alerts</c>, <c>POST /api/events</c>: action groups and Event Grid.</summary>
    public static RouteAccess Signals { get; } = new(nameof(Signals), RollbackRoles.Alerts, RollbackRoles.Events);

    /// <summary>Confirm, unfreeze, abort, drills.</summary>
    public static RouteAccess Operator { get; } = new(nameof(Operator), RollbackRoles.Operator);

    public static IReadOnlyList<RouteAccess> All { get; } = [Anonymous, Reader, Gate, Pipeline, Signals, Operator];

    public string Name { get; }

    /// <summary>Any one of these roles is enough; empty for <see cref="Anonymous"/>.</summary>
    public IReadOnlyList<string> Roles { get; }

    public bool IsAnonymous => Roles.Count == 0;

    /// <summary>The name of the authorization policy that checks this access.</summary>
    public string PolicyName => "RollbackApi." + Name;

    /// <summary>The roles joined for a person to read: "Reader or Operator".</summary>
    public string Describe() => Roles.Count switch
    {
        0 => "no role",
        1 => Roles[0],
        _ => string.Join(", ", Roles.Take(Roles.Count - 1)) + " or " + Roles[^1],
    };
}
