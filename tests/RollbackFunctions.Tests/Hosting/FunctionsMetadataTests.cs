using System.Text.Json;
using RollbackFunctions.Intake;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Hosting;

/// <summary>
/// The Functions host finds functions only through the generated <c>functions.metadata</c>: every function must be
/// there under the name callers use, with the right trigger. One table; other features add their rows.
/// </summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>The functions that are not HTTP routes: name and trigger binding type. Other features add their rows.</summary>
    private static readonly (string Name, string Trigger)[] NonHttpFunctions =
    [
        ("RollbackOrchestrator", "orchestrationTrigger"),
        ("ValidateRollbackTargetActivity", "activityTrigger"),
        ("StartDeploymentActivity", "activityTrigger"),
        ("GetDeploymentProgressActivity", "activityTrigger"),
        ("RunProbeActivity", "activityTrigger"),
        ("RunFirstProbeRoundActivity", "activityTrigger"),
        ("RecordAuditActivity", "activityTrigger"),
        ("EscalateIncidentActivity", "activityTrigger"),
        ("SettleComponentActivity", "activityTrigger"),
        ("CancelDeploymentActivity", "activityTrigger"),
        ("NotificationOrchestrator", "orchestrationTrigger"),
        ("DeliverNotificationActivity", "activityTrigger"),
        ("RecordNotificationFailureActivity", "activityTrigger"),
        ("ScheduleNotificationsActivity", "activityTrigger"),

        // Drills (API.md "Readiness and drills"): their orchestrator and own activities.
        ("DrillOrchestrator", "orchestrationTrigger"),
        ("PlanDrillActivity", "activityTrigger"),
        ("AnnounceDrillEndActivity", "activityTrigger"),

        // The reconciler, every 30 s (API.md "Nothing is left hanging").
        ("ReconcileRollbacks", "timerTrigger"),

        // Drill and readiness schedules (Rollback:Drills:Schedule, Rollback:Readiness:Schedule), evaluated by the library.
        ("RunSchedules", "timerTrigger"),
    ];

    /// <summary>
    /// Function name, trigger binding type, HTTP methods (null if not HTTP), HTTP route (null if not HTTP): the
    /// functions above and every route of <see cref="RollbackRoutes"/> (API.md, under host.json's "api" prefix).
    /// </summary>
    public static readonly TheoryData<string, string, string?, string?> ExpectedFunctions = Expected();

    private static TheoryData<string, string, string?, string?> Expected()
    {
        var data = new TheoryData<string, string, string?, string?>();
        foreach (var (name, trigger) in NonHttpFunctions)
        {
            data.Add(name, trigger, null, null);
        }

        foreach (var route in RollbackRoutes.All)
        {
            data.Add(route.Name, "httpTrigger", route.Method, route.Template);
        }

        return data;
    }

    /// <summary>The HTTP functions that start, join, read or signal orchestrations get the <c>[DurableClient]</c> binding.</summary>
    private static readonly HashSet<string> NeedDurableClient = new(StringComparer.Ordinal)
    {
        nameof(RollbackRoutes.Alerts), nameof(RollbackRoutes.Events), nameof(RollbackRoutes.RequestRollback), nameof(RollbackRoutes.GetRollback),
        nameof(RollbackRoutes.ConfirmRollback), nameof(RollbackRoutes.AbortRollback), nameof(RollbackRoutes.GetComponent), nameof(RollbackRoutes.UnfreezeComponent),
        nameof(RollbackRoutes.StartDrill), nameof(RollbackRoutes.GetDrill),
    };

    private static readonly Lazy<JsonElement[]> Metadata = new(() =>
    {
        var path = Path.Combine(RepositoryRoot.Path, "src", "RollbackFunctions.FunctionApp", "bin", RepositoryRoot.BuildConfiguration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build the Functions app first");
        return [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().Select(e => e.Clone())];
    });

    [Theory]
    [MemberData(nameof(ExpectedFunctions))]
    public void Function_is_registered_with_its_trigger(string name, string triggerType, string? methods, string? route)
    {
        var function = Assert.Single(Metadata.Value, f => f.GetProperty("name").GetString() == name);
        var trigger = Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        Assert.Equal(triggerType, trigger.GetProperty("type").GetString());
        if (methods is not null)
        {
            var declared = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal);
            Assert.Equal(methods.Split(',').Order(StringComparer.Ordinal), declared);
        }

        if (route is not null)
        {
            Assert.Equal(route, trigger.GetProperty("route").GetString());
        }

        if (triggerType == "httpTrigger")
        {
            // The host's function keys name no caller, so every trigger is Anonymous at the host and the worker middleware
            // admits each route's roles (Security/CallerAuthorization, docs/CONFIGURATION.md "Who may call what").
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
            Assert.NotNull(RollbackRoutes.Named(name)!.Access);
            var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
            Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
            Assert.Equal(NeedDurableClient.Contains(name), bindings.Any(b => b.GetProperty("type").GetString() == "durableClient"));
        }
    }

    [Fact]
    public void Every_function_in_the_app_is_in_the_expected_table()
    {
        var expected = ExpectedFunctions.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(Metadata.Value, f => Assert.Contains(f.GetProperty("name").GetString()!, expected));
    }

    [Fact]
    public void No_two_http_functions_share_a_method_and_route()
    {
        var routes = Metadata.Value
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .SelectMany(t => t.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant() + " " + t.GetProperty("route").GetString()))
            .ToList();

        Assert.Equal(ExpectedFunctions.Count(row => row[1] as string == "httpTrigger"), routes.Count);
        Assert.Equal(routes.Count, routes.Distinct(StringComparer.Ordinal).Count());
    }
}
