using RollbackFunctions.Deployment;

namespace RollbackFunctions.Gate.GitHub;

/// <summary>
/// A GitHub App's custom deployment protection rule over the deployment gate: verify the signature, read the event,
/// map its environment to a component, evaluate the gate and approve or reject through the event's callback URL with
/// the gate's reason. Fails closed: whatever goes wrong, nothing is approved.
/// </summary>
public sealed class GitHubDeploymentProtectionHandler(
    IOptionsMonitor<GitHubProtectionOptions> options,
    DeploymentGate gate,
    GitHubProtectionCallbackClient callbacks,
    ILogger<GitHubDeploymentProtectionHandler> logger)
{
    public const string EventHeaderName = "X-GitHub-Event";
    public const string ProtectionRuleEvent = "deployment_protection_rule";
    private const int MaxCommentLength = 1000;

    /// <param name="eventName">The <c>X-GitHub-Event</c> header.</param>
    /// <param name="signature">The <c>X-Hub-Signature-256</c> header.</param>
    /// <param name="body">The raw body, exactly as received: the signature covers these bytes.</param>
    public async Task<DeploymentProtectionResult> HandleAsync(string? eventName, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.IsEnabled)
        {
            return new(DeploymentProtectionOutcome.NotConfigured, $"The GitHub deployment protection rule is not configured ({GitHubProtectionOptions.SectionName}).");
        }

        if (!GitHubWebhookSignature.IsValid(signature, body.Span, settings.WebhookSecret))
        {
            GateLog.SignatureRefused(logger, signature is null ? "missing" : "wrong");
            return new(DeploymentProtectionOutcome.SignatureInvalid,
                $"The {GitHubWebhookSignature.HeaderName} signature is missing or does not match the App's webhook secret.");
        }

        if (eventName is not null && !string.Equals(eventName, ProtectionRuleEvent, StringComparison.Ordinal))
        {
            return new(DeploymentProtectionOutcome.Ignored, $"Event '{eventName}' is not a {ProtectionRuleEvent} event: nothing to review.");
        }

        DeploymentProtectionRuleEvent? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body.Span, GitHubProtectionJsonContext.Default.DeploymentProtectionRuleEvent);
        }
        catch (JsonException)
        {
            return new(DeploymentProtectionOutcome.InvalidPayload, $"The {ProtectionRuleEvent} payload is not valid JSON of the expected shape.");
        }

        if (payload is null)
        {
            return new(DeploymentProtectionOutcome.InvalidPayload, $"The {ProtectionRuleEvent} payload is empty.");
        }

        if (!string.Equals(payload.Action, "requested", StringComparison.Ordinal))
        {
            return new(DeploymentProtectionOutcome.Ignored, $"Action '{payload.Action}' is not 'requested': nothing to review.");
        }

        if (string.IsNullOrWhiteSpace(payload.Environment) || string.IsNullOrWhiteSpace(payload.DeploymentCallbackUrl) || payload.Installation?.Id is not { } installationId)
        {
            return new(DeploymentProtectionOutcome.InvalidPayload, "The event lacks environment, deployment_callback_url or installation.id.");
        }

        var environment = payload.Environment;
        if (settings.ComponentFor(environment) is not { } component)
        {
            GateLog.EnvironmentUnmapped(logger, environment);
            return new(DeploymentProtectionOutcome.UnmappedEnvironment,
                $"GitHub environment '{environment}' maps to no component: add {GitHubProtectionOptions.SectionName}:Environments:{environment}. The deployment stays waiting.",
                environment);
        }

        if (!IsCallbackOnApiHost(payload.DeploymentCallbackUrl, settings.ApiBaseUrl, out var callbackUrl))
        {
            GateLog.CallbackRefused(logger, environment, settings.ApiBaseUrl.Authority);
            return new(DeploymentProtectionOutcome.CallbackUrlRefused,
                $"The deployment_callback_url is not a deployment protection rule URL under {GitHubProtectionOptions.SectionName}:ApiBaseUrl ({settings.ApiBaseUrl.GetLeftPart(UriPartial.Authority)}): the installation token is never sent elsewhere.",
                environment, component);
        }

        var evaluation = await gate.EvaluateAsync(component, cancellationToken).ConfigureAwait(false);
        if (evaluation.State is not { } state)
        {
            return new(DeploymentProtectionOutcome.UnmappedEnvironment, evaluation.Reason, environment, component);
        }

        var review = new DeploymentProtectionReview(environment, state.Open ? "approved" : "rejected", Shorten($"Rollback gate for {component}: {state.Reason}"));
        try
        {
            await callbacks.ReviewAsync(callbackUrl, installationId, review, cancellationToken).ConfigureAwait(false);
        }
        catch (DeploymentProviderException ex)
        {
            GateLog.CallbackFailed(logger, environment, component, ex.Message);
            return new(DeploymentProtectionOutcome.CallbackFailed, ex.Message, environment, component, state, ex.IsTransient);
        }

        GateLog.Reviewed(logger, environment, component, review.State);
        return new(state.Open ? DeploymentProtectionOutcome.Approved : DeploymentProtectionOutcome.Rejected, state.Reason, environment, component, state);
    }

    /// <summary>
    /// The token goes only to the configured API: same scheme, host and port, under its path, and to a protection rule
    /// review endpoint (<c>.../actions/runs/{id}/deployment_protection_rule</c>), never with user info.
    /// </summary>
    public static bool IsCallbackOnApiHost(string url, Uri apiBaseUrl, out Uri callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        callbackUrl = null!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var candidate) || !string.IsNullOrEmpty(candidate.UserInfo)
            || !string.IsNullOrEmpty(candidate.Query) || !string.IsNullOrEmpty(candidate.Fragment))
        {
            return false;
        }

        var basePath = apiBaseUrl.AbsolutePath.EndsWith('/') ? apiBaseUrl.AbsolutePath : apiBaseUrl.AbsolutePath + "/";
        if (Uri.Compare(candidate, apiBaseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0
            || !candidate.AbsolutePath.StartsWith(basePath, StringComparison.Ordinal)
            || !candidate.AbsolutePath.EndsWith("/deployment_protection_rule", StringComparison.Ordinal)
            || candidate.AbsolutePath.Contains("/../", StringComparison.Ordinal))
        {
            return false;
        }

        callbackUrl = candidate;
        return true;
    }

    private static string Shorten(string comment) => comment.Length <= MaxCommentLength ? comment : comment[..(MaxCommentLength - 1)] + "…";
}
