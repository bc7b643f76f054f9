using System.Text.Json.Serialization;

namespace RollbackFunctions.Deployment.GitHubActions;

// The subset of GitHub's REST shapes the provider reads and writes (API version 2022-11-28). Member names come
// from the context's snake_case policy, GitHub's own convention, so a record states only its fields.

internal sealed record GitHubDispatchRequest(string Ref, IReadOnlyDictionary<string, string> Inputs, bool? ReturnRunDetails);

/// <summary>The 200 answer of a dispatch with <c>return_run_details: true</c>.</summary>
internal sealed record GitHubDispatchResponse(long? WorkflowRunId, string? RunUrl, string? HtmlUrl);

internal sealed record GitHubWorkflowRunList(int TotalCount, IReadOnlyList<GitHubWorkflowRun> WorkflowRuns);

internal sealed record GitHubWorkflowRun(
    long Id,
    string? Name,
    string? DisplayTitle,
    string? Event,
    string? Status,
    string? Conclusion,
    string? HtmlUrl,
    int? RunAttempt);

internal sealed record GitHubJobList(int TotalCount, IReadOnlyList<GitHubJob> Jobs);

internal sealed record GitHubJob(long Id, string Name, string? Status, string? Conclusion);

/// <summary>The 201 answer of <c>POST /app/installations/{id}/access_tokens</c>.</summary>
internal sealed record GitHubInstallationToken(string Token, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GitHubDispatchRequest))]
[JsonSerializable(typeof(GitHubDispatchResponse))]
[JsonSerializable(typeof(GitHubWorkflowRunList))]
[JsonSerializable(typeof(GitHubWorkflowRun))]
[JsonSerializable(typeof(GitHubJobList))]
[JsonSerializable(typeof(GitHubInstallationToken))]
internal sealed partial class GitHubJsonContext : JsonSerializerContext;
