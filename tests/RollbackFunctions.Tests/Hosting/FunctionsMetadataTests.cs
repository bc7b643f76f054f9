using System.Text.Json;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Hosting;

/// <summary>What the Functions host will load: the <c>functions.metadata</c> the worker SDK generated at build time.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string MetadataPath = Path.Combine(
        RepositoryRoot.Path, "src", "RollbackFunctions.FunctionApp", "bin", RepositoryRoot.BuildConfiguration, "net10.0", "functions.metadata");

    /// <summary>Every route of API.md: method, route template (under the "api" prefix of host.json), auth level, durable client.</summary>
    public static TheoryData<string, string, string, bool> ApiRoutes() => new()
    {
        { "post", "alerts", "Function", true },
        { "post", "events", "Function", true },
        { "options", "events", "Anonymous", false },
        { "post", "rollbacks", "Function", true },
        { "post", "releases", "Function", false },
        { "get", "rollbacks/{id}", "Function", true },
        { "get", "rollbacks", "Function", false },
        { "get", "components/{component}", "Function", false },
        { "get", "components/{component}/rollback-plan", "Function", false },
        { "get", "releases/{component}", "Function", false },
        { "post", "rollbacks/{id}/confirm", "Function", true },
        { "post", "components/{component}/unfreeze", "Function", false },
    };

    [Theory]
    [MemberData(nameof(ApiRoutes))]
    public void Functions_metadata_lists_an_http_trigger_for_every_API_route(string method, string route, string authLevel, bool needsDurableClient)
    {
        var functions = ReadMetadata();

        var matches = functions.Where(f => HttpTrigger(f) is { } trigger
            && trigger.GetProperty("route").GetString() == route
            && trigger.GetProperty("methods").EnumerateArray().Any(m => string.Equals(m.GetString(), method, StringComparison.OrdinalIgnoreCase))).ToList();

        var function = Assert.Single(matches);
        var http = HttpTrigger(function)!.Value;
        Assert.Equal(authLevel, http.GetProperty("authLevel").GetString());
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
        Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
        Assert.Equal(needsDurableClient, bindings.Any(b => b.GetProperty("type").GetString() == "durableClient"));
    }

    [Fact]
    public void Every_http_function_is_a_route_of_the_API()
    {
        var declared = ApiRoutes().Select(row => ((string)row[0], (string)row[1])).ToHashSet();

        var published = ReadMetadata()
            .Select(HttpTrigger)
            .OfType<JsonElement>()
            .SelectMany(t => t.GetProperty("methods").EnumerateArray().Select(m => (m.GetString()!.ToLowerInvariant(), t.GetProperty("route").GetString()!)))
            .ToList();

        Assert.Equal(declared.Count, published.Count);
        Assert.All(published, p => Assert.Contains(p, declared));
    }

    private static List<JsonElement> ReadMetadata()
    {
        Assert.True(File.Exists(MetadataPath), $"{MetadataPath} is missing: build src/RollbackFunctions.FunctionApp first.");
        return [.. JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(MetadataPath)).EnumerateArray()];
    }

    private static JsonElement? HttpTrigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger").Cast<JsonElement?>().FirstOrDefault();
}
