using System.Text.Json.Serialization;

namespace RollbackFunctions.Gate.GitHub;

// The subset of GitHub's deployment_protection_rule webhook payload the gate reads, and the review it posts back
// (REST API version 2022-11-28, "Review custom deployment protection rules for a workflow run").

/// <summary>A <c>deployment_protection_rule</c> event: <c>action</c> is <c>requested</c>.</summary>
public sealed record DeploymentProtectionRuleEvent(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("environment")] string? Environment,
    [property: JsonPropertyName("event")] string? Event,
    [property: JsonPropertyName("deployment_callback_url")] string? DeploymentCallbackUrl,
    [property: JsonPropertyName("deployment")] GitHubDeploymentRef? Deployment,
    [property: JsonPropertyName("installation")] GitHubInstallationRef? Installation,
    [property: JsonPropertyName("repository")] GitHubRepositoryRef? Repository);

public sealed record GitHubDeploymentRef(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("sha")] string? Sha,
    [property: JsonPropertyName("ref")] string? Ref,
    [property: JsonPropertyName("environment")] string? Environment);

public sealed record GitHubInstallationRef([property: JsonPropertyName("id")] long? Id);

public sealed record GitHubRepositoryRef([property: JsonPropertyName("full_name")] string? FullName);

/// <summary>The body of <c>POST {deployment_callback_url}</c>.</summary>
/// <param name="State"><c>approved</c> or <c>rejected</c>.</param>
public sealed record DeploymentProtectionReview(
    [property: JsonPropertyName("environment_name")] string EnvironmentName,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("comment")] string Comment);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeploymentProtectionRuleEvent))]
[JsonSerializable(typeof(DeploymentProtectionReview))]
internal sealed partial class GitHubProtectionJsonContext : JsonSerializerContext;
