using RollbackFunctions.Simulators;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Intake;
using RollbackFunctions.Intake.OpenApi;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Intake.OpenApi;

/// <summary>
/// Issue 17 item 2: <c>docs/openapi.json</c> is the document the dev host generates from its endpoints, and it names
/// every route. With <c>ROLLBACK_OPENAPI_WRITE=1</c> (what <c>./scripts/openapi.sh</c> sets) the document is written
/// instead of compared: after adding a route, that one command brings the checked-in copy up to date.
/// </summary>
public sealed class OpenApiDocumentTests
{
    public const string WriteVariable = "ROLLBACK_OPENAPI_WRITE";

    private static string CheckedInPath => Path.Combine(RepositoryRoot.Path, "docs", "openapi.json");

    [Fact]
    public async Task The_checked_in_document_is_the_one_the_dev_host_generates()
    {
        await using var app = await DevHostEndpointsAsync();
        var generated = await app.Services.GetRequiredService<IRollbackApiDocument>().JsonAsync(CancellationToken.None);

        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            await File.WriteAllTextAsync(CheckedInPath, JsonNode.Parse(generated)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(CheckedInPath));
        Assert.True(
            JsonNode.DeepEquals(checkedIn, JsonNode.Parse(generated)),
            $"docs/openapi.json differs from the document the dev host generates: run ./scripts/openapi.sh and commit docs/openapi.json. Generated:\n{generated}");
    }

    [Fact]
    public async Task Every_endpoint_of_the_dev_host_and_every_route_of_the_table_is_in_the_checked_in_document_and_nothing_else()
    {
        await using var app = await DevHostEndpointsAsync();
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => Operation(m, e.RoutePattern.RawText!)))
            .ToHashSet();
        var table = RollbackRoutes.All.Select(r => Operation(r.Method, $"/{RollbackRoutes.Prefix}/{r.Template}")).ToHashSet();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(CheckedInPath));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => Operation(operation.Name, path.Name)))
            .ToHashSet();

        Assert.Equal(table.Order(), endpoints.Order());
        Assert.True(
            documented.SetEquals(endpoints),
            $"Routes and docs/openapi.json differ: run ./scripts/openapi.sh. Not documented: {string.Join(", ", endpoints.Except(documented))}; documented but not served: {string.Join(", ", documented.Except(endpoints))}");
    }

    [Fact]
    public async Task The_document_is_OpenAPI_3_1_with_schemas_problem_details_and_the_security_schemes()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(CheckedInPath));
        var root = document.RootElement;
        Assert.StartsWith("3.1", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("servers", out _));

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(("apiKey", "header", "x-functions-key"), Scheme(schemes, RollbackOpenApi.KeyHeaderScheme));
        Assert.Equal(("apiKey", "query", "code"), Scheme(schemes, RollbackOpenApi.KeyQueryScheme));
        Assert.Equal("bearer", schemes.GetProperty(RollbackOpenApi.BearerScheme).GetProperty("scheme").GetString());

        var schemas = root.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { nameof(PipelineRollbackBody), nameof(ReleaseBody), nameof(ConfirmBody), nameof(UnfreezeBody), nameof(RollbackAccepted), nameof(RollbackView), nameof(ComponentView), nameof(RollbackPlan), "ProblemDetails" })
        {
            Assert.True(schemas.TryGetProperty(name, out _), $"no schema {name}");
        }

        var request = root.GetProperty("paths").GetProperty("/api/rollbacks").GetProperty("post");
        Assert.Equal("#/components/schemas/PipelineRollbackBody", request.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/RollbackAccepted", request.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        foreach (var status in new[] { "400", "401", "403", "409", "422", "503" })
        {
            Assert.True(request.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), $"POST /api/rollbacks {status} is not problem details");
        }

        Assert.Equal(3, request.GetProperty("security").GetArrayLength());
        Assert.Equal(0, root.GetProperty("paths").GetProperty("/api/github/deployment-protection").GetProperty("post").GetProperty("security").GetArrayLength());
        Assert.Equal(0, root.GetProperty("paths").GetProperty("/api/events").GetProperty("options").GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task The_Functions_app_serves_the_checked_in_document_embedded_in_the_library()
    {
        var embedded = await new CheckedInApiDocument().JsonAsync(CancellationToken.None);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(CheckedInPath)), JsonNode.Parse(embedded)), "the library embeds a stale docs/openapi.json: rebuild");
    }

    private static string Operation(string method, string path) => method.ToUpperInvariant() + " " + path;

    private static (string?, string?, string?) Scheme(JsonElement schemes, string name)
    {
        var scheme = schemes.GetProperty(name);
        return (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString());
    }

    /// <summary>
    /// The dev host's registrations and pipeline (Program.cs) on a free loopback port, without its engine and timers:
    /// started, since routing hands the endpoints to the generator when the pipeline is built.
    /// </summary>
    private static async Task<WebApplication> DevHostEndpointsAsync()
    {
        var builder = LoopbackWebApplication.CreateBuilder();

        // Validated at start, never connected to: the document needs no storage.
        builder.Configuration["RollbackStorage"] = "UseDevelopmentStorage=true";
        builder.Services.AddRollbackWorkflow(builder.Configuration);
        builder.Services.AddRollbackIntake(builder.Configuration);
        builder.Services.AddRollbackOpenApi();
        var app = builder.Build();
        app.UseRollbackApi();
        await app.StartAsync();
        return app;
    }
}
