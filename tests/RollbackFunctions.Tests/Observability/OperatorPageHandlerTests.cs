using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;
using RollbackFunctions.Observability;

namespace RollbackFunctions.Tests.Observability;

public sealed partial class OperatorPageHandlerTests
{
    [Fact]
    public async Task Page_embeds_components_and_budget_and_locks_scripts_to_a_per_request_nonce()
    {
        var options = new RollbackOptions { Budget = TimeSpan.FromMinutes(4) };
        options.Components["storefront"] = new ComponentOptions { Kind = ComponentKind.Storefront, Provider = "p" };
        options.Components["evil</script><script>alert(1)</script>"] = new ComponentOptions { Kind = ComponentKind.ShopAgent, Provider = "p" };
        var handler = new OperatorPageHandler(Options.Create(options));

        var (first, firstCsp) = await RenderAsync(handler);
        var (second, secondCsp) = await RenderAsync(handler);

        Assert.Contains("\"budgetSeconds\":240", first, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"storefront\",\"kind\":\"Storefront\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", first, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn", first, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(SrcAttribute(), first);

        var nonce = NonceDirective().Match(firstCsp).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script nonce=\"{nonce}\">", first, StringComparison.Ordinal);
        Assert.NotEqual(nonce, NonceDirective().Match(secondCsp).Groups[1].Value);
        Assert.Contains("default-src 'none'", firstCsp, StringComparison.Ordinal);
    }

    private static async Task<(string Html, string Csp)> RenderAsync(OperatorPageHandler handler)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        var result = handler.Render(context.Request);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        Assert.StartsWith("text/html", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal("no-referrer", context.Response.Headers["Referrer-Policy"].ToString());
        return (await reader.ReadToEndAsync(), context.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex NonceDirective();

    [GeneratedRegex("<(script|link|img)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex SrcAttribute();
}
