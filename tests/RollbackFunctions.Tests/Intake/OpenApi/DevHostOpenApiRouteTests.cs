using System.Net;
using System.Text.Json.Nodes;
using RollbackFunctions.Tests.DevHost;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Intake.OpenApi;

/// <summary>The dev host as a process serves the generated document at <c>GET /api/openapi.json</c>, to a Reader's credential only.</summary>
[Collection(nameof(DevHostProcessTests))]
public sealed class DevHostOpenApiRouteTests
{
    [Fact]
    public async Task The_dev_host_serves_the_checked_in_document_at_api_openapi_json_with_a_key()
    {
        await using var world = await DevHostWorld.CreateAsync();
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: false));

        using var response = await host.Http.GetAsync(new Uri("/api/openapi.json", UriKind.Relative));
        using var anonymous = new HttpClient { BaseAddress = host.Http.BaseAddress };
        using var refused = await anonymous.GetAsync(new Uri("/api/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "openapi.json")));
        Assert.True(JsonNode.DeepEquals(checkedIn, served), "the dev host serves another document than docs/openapi.json: run ./scripts/openapi.sh");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
