using RollbackFunctions.Intake;
using RollbackFunctions.Security;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Security;

/// <summary>What the role matrix sends: one request a route (path values filled in, an empty JSON body for a POST), one named key a role.</summary>
internal static class RouteCalls
{
    public const string RollbackId = "shop-20260101000000-abcdef0123";

    /// <summary>Every route of API.md that needs a credential: those with handlers and those still being built.</summary>
    public static IEnumerable<RollbackRoute> Secured => RollbackRoutes.All.Concat(RollbackRoutes.Unmapped).Where(r => !r.Anonymous);

    public static string Path(RollbackRoute route) =>
        RollbackRoutes.Prefix + "/" + route.Template.Replace("{id}", RollbackId, StringComparison.Ordinal).Replace("{component}", IntakeTestHost.Component, StringComparison.Ordinal);

    public static HttpRequestMessage Request(RollbackRoute route, string? key = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), Path(route)) { Content = route.Method == "POST" ? IntakeTestHost.Json("{}") : null };
        if (key is not null)
        {
            request.Headers.Add(ApiKeyCallers.HeaderName, key);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    /// <summary>The name of the key that holds only <paramref name="role"/>.</summary>
    public static string KeyName(string role) => role.ToLowerInvariant() + "-caller";

    public static string Key(string role) => $"{role.ToLowerInvariant()}-key-0123456789abcdef";

    /// <summary>One named key a role: <c>RollbackApi:Keys:{role}-caller:Key</c> and <c>:Roles:0</c>.</summary>
    public static void AddRoleKeys(IDictionary<string, string?> settings, string separator = ":")
    {
        foreach (var role in RollbackRoles.All)
        {
            settings[string.Join(separator, "RollbackApi", "Keys", KeyName(role), "Key")] = Key(role);
            settings[string.Join(separator, "RollbackApi", "Keys", KeyName(role), "Roles", "0")] = role;
        }
    }

    public static bool Allows(RollbackRoute route, string role) => route.Access.Roles.Contains(role);
}
