using System.Text.Json;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Hosting;

/// <summary>
/// The Functions host finds functions only through the generated <c>functions.metadata</c>: every function must be
/// there under the name callers use, with the right trigger. One table; other features add their rows.
/// </summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>Function name, trigger binding type, HTTP methods (null if not HTTP), HTTP route (null if not HTTP).</summary>
    public static readonly TheoryData<string, string, string?, string?> ExpectedFunctions = new()
    {
        { "RollbackOrchestrator", "orchestrationTrigger", null, null },
        { "ValidateRollbackTargetActivity", "activityTrigger", null, null },
        { "StartDeploymentActivity", "activityTrigger", null, null },
        { "GetDeploymentProgressActivity", "activityTrigger", null, null },
        { "RunProbeActivity", "activityTrigger", null, null },
        { "RunFirstProbeRoundActivity", "activityTrigger", null, null },
        { "RecordAuditActivity", "activityTrigger", null, null },
        { "EscalateIncidentActivity", "activityTrigger", null, null },
        { "SettleComponentActivity", "activityTrigger", null, null },
        { "CancelDeploymentActivity", "activityTrigger", null, null },

        // The reconciler, every 30 s (API.md "Nothing is left hanging").
        { "ReconcileRollbacks", "timerTrigger", null, null },

        // Every route of API.md (under host.json's "api" prefix).
        { "Alerts", "httpTrigger", "POST", "alerts" },
        { "Events", "httpTrigger", "POST", "events" },
        { "EventsHandshake", "httpTrigger", "OPTIONS", "events" },
        { "RequestRollback", "httpTrigger", "POST", "rollbacks" },
        { "RecordRelease", "httpTrigger", "POST", "releases" },
        { "GetRollback", "httpTrigger", "GET", "rollbacks/{id}" },
        { "ListRollbacks", "httpTrigger", "GET", "rollbacks" },
        { "GetComponent", "httpTrigger", "GET", "components/{component}" },
        { "GetRollbackPlan", "httpTrigger", "GET", "components/{component}/rollback-plan" },
        { "ListReleases", "httpTrigger", "GET", "releases/{component}" },
        { "ConfirmRollback", "httpTrigger", "POST", "rollbacks/{id}/confirm" },
        { "UnfreezeComponent", "httpTrigger", "POST", "components/{component}/unfreeze" },

        // The read-only operator page.
        { "OperatorPage", "httpTrigger", "GET", "operator" },
    };

    /// <summary>The HTTP functions that start, join, read or signal orchestrations get the <c>[DurableClient]</c> binding.</summary>
    private static readonly HashSet<string> NeedDurableClient = new(StringComparer.Ordinal)
    {
        "Alerts", "Events", "RequestRollback", "GetRollback", "ConfirmRollback", "GetComponent", "UnfreezeComponent",
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
            // API.md: every route needs a key except the Event Grid OPTIONS handshake; the host enforces it at this level.
            Assert.Equal(name == "EventsHandshake" ? "Anonymous" : "Function", trigger.GetProperty("authLevel").GetString());
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
