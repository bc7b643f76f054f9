using System.Net;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Observability;

/// <summary>The operator page is read-only but not public: the same key rules as every other route.</summary>
public sealed class OperatorPageRouteTests
{
    [Fact]
    public async Task Operator_page_needs_the_key_like_every_other_route()
    {
        await using var host = await IntakeTestHost.StartAsync();

        await IntakeTestHost.ProblemAsync(await host.Anonymous.GetAsync("api/operator"), HttpStatusCode.Unauthorized);
        await IntakeTestHost.ProblemAsync(await host.Anonymous.GetAsync("api/operator?code=wrong"), HttpStatusCode.Unauthorized);

        using var page = await host.Anonymous.GetAsync($"api/operator?code={IntakeTestHost.ApiKey}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Rollback operator", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // The key may also come in the header, as for the JSON routes.
        using var withHeader = await host.Http.GetAsync("api/operator");
        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
    }
}
