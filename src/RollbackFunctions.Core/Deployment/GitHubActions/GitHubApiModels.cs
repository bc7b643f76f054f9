using System.Text.Json.Serialization;

namespace RollbackFunctions.Deployment.GitHubActions;

// The subset of GitHub's REST shapes the provider reads and writes (API version 2022-11-28).

internal sealed record GitHubDispatchRequest(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("inputs")] IReadOnlyDictionary<string, string> Inputs,
    [property: JsonPropertyName("return_run_details")] bool? ReturnRunDetails);

/// <summary>The 200 answer of a dispatch with <c>return_run_details: true</c>.</summary>
internal sealed record GitHubDispatchResponse(
    [property: JsonPropertyName("workflow_run_id")] long? WorkflowRunId,
    [property: JsonPropertyName("run_url")] string? RunUrl,
    [property: JsonPropertyName("html_url")] string? HtmlUrl);

internal sealed record GitHubWorkflowRunList(
    [property: JsonPropertyName("total_count")] int TotalCount,
    [property: JsonPropertyName("workflow_runs")] IReadOnlyList<GitHubWorkflowRun> WorkflowRuns);

internal sealed record GitHubWorkflowRun(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("display_title")] string? DisplayTitle,
    [property: JsonPropertyName("event")] string? Event,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("conclusion")] string? Conclusion,
    [property: JsonPropertyName("html_url")] string? HtmlUrl,
    [property: JsonPropertyName("run_attempt")] int? RunAttempt);

internal sealed record GitHubJobList(
    [property: JsonPropertyName("total_count")] int TotalCount,
    [property: JsonPropertyName("jobs")] IReadOnlyList<GitHubJob> Jobs);

internal sealed record GitHubJob(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("conclusion")] string? Conclusion);

/// <summary>The 201 answer of <c>POST /app/installations/{id}/access_tokens</c>.</summary>
internal sealed record GitHubInstallationToken(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GitHubDispatchRequest))]
[JsonSerializable(typeof(GitHubDispatchResponse))]
[JsonSerializable(typeof(GitHubWorkflowRunList))]
[JsonSerializable(typeof(GitHubWorkflowRun))]
[JsonSerializable(typeof(GitHubJobList))]
[JsonSerializable(typeof(GitHubInstallationToken))]
internal sealed partial class GitHubJsonContext : JsonSerializerContext;
