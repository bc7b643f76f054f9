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
        { "RecordAuditActivity", "activityTrigger", null, null },
        { "EscalateIncidentActivity", "activityTrigger", null, null },
        { "FinishRollbackActivity", "activityTrigger", null, null },
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
    }

    [Fact]
    public void Every_function_in_the_app_is_in_the_expected_table()
    {
        var expected = ExpectedFunctions.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(Metadata.Value, f => Assert.Contains(f.GetProperty("name").GetString()!, expected));
    }
}
