using System.Text.Json.Serialization;

namespace RollbackFunctions.Deployment.AzureDevOps;

// The subset of the Azure DevOps Pipelines and Builds REST shapes (api-version 7.1) the provider reads and writes.

internal sealed record AzureDevOpsRunRequest(
    [property: JsonPropertyName("resources")] AzureDevOpsRunResources Resources,
    [property: JsonPropertyName("templateParameters")] IReadOnlyDictionary<string, string> TemplateParameters);

internal sealed record AzureDevOpsRunResources(
    [property: JsonPropertyName("repositories")] IReadOnlyDictionary<string, AzureDevOpsRepositoryResource> Repositories);

internal sealed record AzureDevOpsRepositoryResource(
    [property: JsonPropertyName("refName")] string RefName);

internal sealed record AzureDevOpsRunList(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("value")] IReadOnlyList<AzureDevOpsRun> Value);

/// <summary>A pipeline run; <c>templateParameters</c> appears on a single run, not always in lists.</summary>
internal sealed record AzureDevOpsRun(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("createdDate")] DateTimeOffset? CreatedDate,
    [property: JsonPropertyName("finishedDate")] DateTimeOffset? FinishedDate,
    [property: JsonPropertyName("pipeline")] AzureDevOpsPipelineReference? Pipeline,
    [property: JsonPropertyName("templateParameters")] IReadOnlyDictionary<string, JsonElement>? TemplateParameters,
    [property: JsonPropertyName("_links")] AzureDevOpsLinks? Links);

internal sealed record AzureDevOpsPipelineReference(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string? Name);

internal sealed record AzureDevOpsLinks(
    [property: JsonPropertyName("web")] AzureDevOpsLink? Web);

internal sealed record AzureDevOpsLink(
    [property: JsonPropertyName("href")] string? Href);

/// <summary>The Builds API's view of a run (a YAML pipeline run's id is its build id): only what a cancel reads.</summary>
/// <param name="Status">none, notStarted, inProgress, postponed, cancelling or completed.</param>
internal sealed record AzureDevOpsBuild(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("result")] string? Result);

/// <summary>The body of <c>PATCH _apis/build/builds/{id}</c> that asks for a cancel.</summary>
internal sealed record AzureDevOpsBuildUpdate(
    [property: JsonPropertyName("status")] string Status);

[JsonSerializable(typeof(AzureDevOpsBuild))]
[JsonSerializable(typeof(AzureDevOpsBuildUpdate))]
[JsonSerializable(typeof(AzureDevOpsRunRequest))]
[JsonSerializable(typeof(AzureDevOpsRunList))]
[JsonSerializable(typeof(AzureDevOpsRun))]
internal sealed partial class AzureDevOpsJsonContext : JsonSerializerContext;
