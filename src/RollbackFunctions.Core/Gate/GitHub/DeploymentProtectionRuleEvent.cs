using System.Text.Json.Serialization;

namespace RollbackFunctions.Gate.GitHub;

// The subset of GitHub's deployment_protection_rule webhook payload the gate reads, and the review it posts back
// (REST API version 2022-11-28, "Review custom deployment protection rules for a workflow run"), named by the
// context's snake_case policy.

/// <summary>A <c>deployment_protection_rule</c> event: <c>action</c> is <c>requested</c>.</summary>
public sealed record DeploymentProtectionRuleEvent(
    string? Action,
    string? Environment,
    string? Event,
    string? DeploymentCallbackUrl,
    GitHubDeploymentRef? Deployment,
    GitHubInstallationRef? Installation,
    GitHubRepositoryRef? Repository);

public sealed record GitHubDeploymentRef(long? Id, string? Sha, string? Ref, string? Environment);

public sealed record GitHubInstallationRef(long? Id);

public sealed record GitHubRepositoryRef(string? FullName);

/// <summary>The body of <c>POST {deployment_callback_url}</c>.</summary>
/// <param name="State"><c>approved</c> or <c>rejected</c>.</param>
public sealed record DeploymentProtectionReview(string EnvironmentName, string State, string Comment);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeploymentProtectionRuleEvent))]
[JsonSerializable(typeof(DeploymentProtectionReview))]
internal sealed partial class GitHubProtectionJsonContext : JsonSerializerContext;
