using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;
using RollbackFunctions.Observability;
using RollbackFunctions.Security;

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

    [Fact]
    public async Task Page_carries_the_signed_in_caller_with_its_roles_and_a_hostile_key_name_cannot_break_out_of_its_script()
    {
        var options = new RollbackOptions();
        options.Components["storefront"] = new ComponentOptions { Kind = ComponentKind.Storefront, Provider = "p" };
        var handler = new OperatorPageHandler(Options.Create(options));
        const string hostile = "ops</script><script>alert(1)</script>&\"'";
        var caller = new CallerIdentity(hostile, null, null, [RollbackRoles.Reader, RollbackRoles.Operator], CallerIdentity.KeyMethod);

        var (html, csp) = await RenderAsync(handler, caller.ToPrincipal());

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ops</script>", html, StringComparison.Ordinal);
        var nonce = NonceDirective().Match(csp).Groups[1].Value;
        Assert.Equal(1, Regex.Count(html, $"<script nonce=\"{Regex.Escape(nonce)}\">"));
        var block = CallerBlock().Match(html);
        Assert.True(block.Success, "no caller block in the page");
        using var json = JsonDocument.Parse(block.Groups[1].Value);
        Assert.Equal(hostile, json.RootElement.GetProperty("name").GetString());
        Assert.Equal(["Reader", "Operator"], json.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal("key", json.RootElement.GetProperty("method").GetString());
        Assert.True(json.RootElement.GetProperty("namesHolder").GetBoolean());

        var (bare, _) = await RenderAsync(handler, CallerIdentity.ForKey(new ApiKeyEntry("0", "k", RollbackRoles.All, Bare: true)).ToPrincipal());
        using var bareJson = JsonDocument.Parse(CallerBlock().Match(bare).Groups[1].Value);
        Assert.Equal("bare-key", bareJson.RootElement.GetProperty("method").GetString());
        Assert.False(bareJson.RootElement.GetProperty("namesHolder").GetBoolean());

        var (anonymous, _) = await RenderAsync(handler);
        Assert.Equal("null", CallerBlock().Match(anonymous).Groups[1].Value);
    }

    private static async Task<(string Html, string Csp)> RenderAsync(OperatorPageHandler handler, System.Security.Claims.ClaimsPrincipal? user = null)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        if (user is not null)
        {
            context.User = user;
        }

        context.Response.Body = new MemoryStream();
        var result = handler.Render(context.Request);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        Assert.StartsWith("text/html", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal("no-referrer", context.Response.Headers["Referrer-Policy"].ToString());
        return (await reader.ReadToEndAsync(), context.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [GeneratedRegex("<script id=\"caller\" type=\"application/json\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex CallerBlock();

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex NonceDirective();

    [GeneratedRegex("<(script|link|img)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex SrcAttribute();
}
