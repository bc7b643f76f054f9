using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace RollbackFunctions.Intake;

/// <summary>
/// What the Functions host does for <c>AuthorizationLevel.Function</c>, for the dev host: a configured key in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter, else 401. No keys configured refuses everything.
/// </summary>
public sealed class ApiKeyEndpointFilter(IOptionsMonitor<RollbackApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return IsValid(Presented(context.HttpContext.Request), options.CurrentValue.Keys) ? await next(context).ConfigureAwait(false) : Problems.Unauthorized();
    }

    /// <summary>The key the request presents: the header, else the query parameter.</summary>
    public static string? Presented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presented = request.Headers[HeaderName].ToString();
        return string.IsNullOrEmpty(presented) ? request.Query[QueryName].ToString() : presented;
    }

    public static bool IsValid(string? presented, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var valid = false;
        foreach (var key in keys.Where(k => !string.IsNullOrEmpty(k)))
        {
            // Compare digests in fixed time so a key cannot be guessed from response timing.
            valid |= CryptographicOperations.FixedTimeEquals(candidate, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return valid;
    }
}
