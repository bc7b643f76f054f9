using RollbackFunctions.Gate;
using RollbackFunctions.Gate.GitHub;

namespace RollbackFunctions.Intake;

/// <summary>
/// <c>GET /api/components/{component}/gate</c> and <c>POST /api/github/deployment-protection</c> (API.md "The
/// deployment gate"): the gate a pipeline asks before it deploys, and GitHub's custom deployment protection rule over it.
/// </summary>
public sealed class DeploymentGateHandler(DeploymentGate gate, GitHubDeploymentProtectionHandler github)
{
    public async Task<IResult> GetAsync(string component, CancellationToken cancellationToken)
    {
        if (TextRules.CheckComponentName(component) is { } invalid)
        {
            return Problems.Validation("The component name in the path is invalid.", new Dictionary<string, string[]> { ["component"] = [invalid] });
        }

        var evaluation = await gate.EvaluateAsync(component, cancellationToken).ConfigureAwait(false);
        return evaluation.State is { } state ? IntakeJson.Result(state) : Problems.NotFound(evaluation.Reason);
    }

    /// <summary>
    /// A GitHub App webhook delivery. Needs no key: the signature over the raw body authenticates it, so the bytes are
    /// handed over exactly as received (within the body-size limit). Fails closed: nothing is approved unless reviewed.
    /// </summary>
    public async Task<IResult> ReceiveProtectionRuleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, tooLarge) = await RequestBody.ReadRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var eventName = Header(request, GitHubDeploymentProtectionHandler.EventHeaderName);
        var signature = Header(request, GitHubWebhookSignature.HeaderName);
        var result = await github.HandleAsync(eventName, signature, body, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            DeploymentProtectionOutcome.Approved or DeploymentProtectionOutcome.Rejected or DeploymentProtectionOutcome.Ignored =>
                IntakeJson.Result(new DeploymentProtectionAnswer(result.Outcome, result.Reason, result.Environment, result.Component, result.Gate)),
            DeploymentProtectionOutcome.NotConfigured => Problems.NotFound(result.Reason),
            DeploymentProtectionOutcome.SignatureInvalid => Results.Problem(title: result.Reason, statusCode: StatusCodes.Status401Unauthorized),
            DeploymentProtectionOutcome.InvalidPayload => Problems.BadRequest(result.Reason),
            DeploymentProtectionOutcome.UnmappedEnvironment or DeploymentProtectionOutcome.CallbackUrlRefused => Problems.Unprocessable(result.Reason),
            DeploymentProtectionOutcome.CallbackFailed when result.Transient => DependencyFailures.ToResult(new DependencyFailure(
                "GitHub", StatusCodes.Status503ServiceUnavailable,
                $"The review of the deployment to {result.Environment} could not be sent to GitHub: {result.Reason} Nothing was approved; GitHub's redelivery retries it.")),
            _ => Results.Problem(
                title: $"GitHub refused the review of the deployment to {result.Environment}: {result.Reason} Nothing was approved; check the App's installation and permissions.",
                statusCode: StatusCodes.Status502BadGateway),
        };
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}

/// <summary>The answer to a protection-rule delivery that was reviewed or needed none.</summary>
public sealed record DeploymentProtectionAnswer(DeploymentProtectionOutcome Outcome, string Reason, string? Environment, string? Component, GateState? Gate);
