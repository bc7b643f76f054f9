using System.Net.Http.Json;
using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Gate.GitHub;

/// <summary>
/// Posts a review to a deployment's callback URL with an installation token of the protection App (the token code of
/// the GitHub Actions provider, keyed by installation). A typed client on the standard resilience handler; every call
/// is bounded by <see cref="GitHubProtectionOptions.CallbackDeadline"/>. Failures are <see cref="DeploymentProviderException"/>.
/// </summary>
public sealed class GitHubProtectionCallbackClient(
    HttpClient http,
    GitHubAppTokenSource tokens,
    IOptionsMonitor<GitHubProtectionOptions> options,
    TimeProvider time,
    ILogger<GitHubProtectionCallbackClient> logger)
{
    private const string System = "GitHub deployment protection";
    private const string EntryName = "GitHubProtection";

    public async Task ReviewAsync(Uri callbackUrl, long installationId, DeploymentProtectionReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentNullException.ThrowIfNull(review);
        var settings = options.CurrentValue;
        var app = new GitHubActionsOptions
        {
            ApiBaseUrl = settings.ApiBaseUrl,
            AppId = settings.AppId,
            InstallationId = installationId,
            PrivateKey = settings.PrivateKey,
            RequestTimeout = settings.RequestTimeout,
            RetryBaseDelay = settings.RetryBaseDelay,
            MaxRetries = settings.MaxRetries,
        };
        var policy = new ProviderCallPolicy(time.GetUtcNow() + settings.CallbackDeadline, settings.RequestTimeout, settings.RetryBaseDelay, settings.MaxRetries);
        var calls = new ProviderHttp(http, time, logger, System, EntryName, () => [settings.WebhookSecret, settings.PrivateKey, tokens.CachedToken(app)]);

        var token = await tokens.GetTokenAsync(app, EntryName, calls, policy, cancellationToken).ConfigureAwait(false);
        var request = new HttpRequestMessage(HttpMethod.Post, callbackUrl)
        {
            Content = JsonContent.Create(review, GitHubProtectionJsonContext.Default.DeploymentProtectionReview),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await calls.SendAsync(
            request,
            policy,
            $"{review.State} review of the deployment to {review.EnvironmentName}",
            $"the App's installation and its Deployments permission ({GitHubProtectionOptions.SectionName}:AppId)",
            cancellationToken).ConfigureAwait(false);
    }
}
