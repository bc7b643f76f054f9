using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Deployment.Http;

/// <summary>The checks every provider's validator shares; each failure names the setting path it was given.</summary>
internal static class ProviderOptionsChecks
{
    /// <summary>The call limits of <see cref="CiCdHttpOptions"/>: no attempt longer than the whole budget may be.</summary>
    public static void CallLimits(string path, CiCdHttpOptions http, ICollection<string> failures)
    {
        if (http.RequestTimeout <= TimeSpan.Zero || http.RequestTimeout > RollbackOptions.MaxBudget)
        {
            failures.Add($"{path}:RequestTimeout must be positive and at most {RollbackOptions.MaxBudget}.");
        }

        if (http.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{path}:RetryBaseDelay must not be negative.");
        }

        if (http.MaxRetries is < 0 or > ProviderResilience.MaxRetryAttempts)
        {
            failures.Add($"{path}:MaxRetries must be between 0 and {ProviderResilience.MaxRetryAttempts}.");
        }
    }

    /// <summary>An API root that bearer tokens are sent to.</summary>
    public static void SecureBaseUrl(string path, Uri? url, ICollection<string> failures)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            failures.Add($"{path} must be an absolute URL.");
        }
        else if (CredentialTransport.Check(path, url) is { } insecure)
        {
            // Tokens travel in the Authorization header: plain HTTP is accepted for a local test server only.
            failures.Add(insecure);
        }
    }

    public static void Required(string path, string? value, ICollection<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{path} is required.");
        }
    }

    public static void Positive(string path, TimeSpan value, ICollection<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{path} must be positive.");
        }
    }
}
