using System.Security.Cryptography;
using RollbackFunctions.Security;

namespace RollbackFunctions.Observability;

/// <summary>
/// The operator page (<c>GET /api/operator</c>): components, rollbacks newest first, and one rollback drawn against its
/// budget; for an <see cref="RollbackRoles.Operator"/>, confirm, unfreeze and abort. One self-contained HTML file
/// embedded in the library (no CDN, works offline); it calls the same JSON routes an operator would, with the key it was
/// opened with (sent as a header) or the App Service sign-in cookie, and refreshes while a rollback runs. The caller's
/// identity is rendered into the page so it shows who is signed in and offers only what the role may do; the API
/// checks every action again.
/// </summary>
public sealed class OperatorPageHandler(IOptions<RollbackOptions> options)
{
    private static readonly Lazy<string> Template = new(LoadTemplate);
    private static readonly JsonSerializerOptions CallerJson = new(JsonSerializerDefaults.Web);

    public IResult Render(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var config = new
        {
            apiBase = "/api",
            budgetSeconds = settings.Budget.TotalSeconds,
            refreshMilliseconds = 2000,
            components = settings.Components
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new { name = c.Key, kind = c.Value.Kind?.ToString() })
                .ToArray(),
        };

        // name, objectId, userName, roles, method and namesHolder: who is signed in, and whether a body must name them.
        var caller = CallerIdentity.From(request.HttpContext.User);

        // The default encoder escapes <, > and & (and quotes), so the JSON cannot close the script element it sits in,
        // nor spell a "<script>" the nonce replacement below would pick up.
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var html = Template.Value
            .Replace("__CONFIG__", JsonSerializer.Serialize(config), StringComparison.Ordinal)
            .Replace("__CALLER__", JsonSerializer.Serialize(caller, CallerJson), StringComparison.Ordinal)
            .Replace("<script>", $"<script nonce=\"{nonce}\">", StringComparison.Ordinal)
            .Replace("<style>", $"<style nonce=\"{nonce}\">", StringComparison.Ordinal);

        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        // The page may be opened with its key in the query string (it removes it at once); never leak it to another origin.
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string LoadTemplate()
    {
        using var stream = typeof(OperatorPageHandler).Assembly.GetManifestResourceStream("RollbackFunctions.OperatorPage.index.html")
            ?? throw new InvalidOperationException("The operator page resource is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
