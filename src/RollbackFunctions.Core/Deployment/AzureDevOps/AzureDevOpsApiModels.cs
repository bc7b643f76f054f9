using System.Text.Json.Serialization;

namespace RollbackFunctions.Deployment.AzureDevOps;

// The subset of the Azure DevOps Pipelines and Builds REST shapes (api-version 7.1) the provider reads and writes.
// Member names come from the context's camelCase policy, as Azure DevOps names them; only _links is named by hand.

internal sealed record AzureDevOpsRunRequest(AzureDevOpsRunResources Resources, IReadOnlyDictionary<string, string> TemplateParameters);

internal sealed record AzureDevOpsRunResources(IReadOnlyDictionary<string, AzureDevOpsRepositoryResource> Repositories);

internal sealed record AzureDevOpsRepositoryResource(string RefName);

internal sealed record AzureDevOpsRunList(int Count, IReadOnlyList<AzureDevOpsRun> Value);

/// <summary>A pipeline run; <c>templateParameters</c> appears on a single run, not always in lists.</summary>
internal sealed record AzureDevOpsRun(
    int Id,
    string? Name,
    string? State,
    string? Result,
    DateTimeOffset? CreatedDate,
    DateTimeOffset? FinishedDate,
    AzureDevOpsPipelineReference? Pipeline,
    IReadOnlyDictionary<string, JsonElement>? TemplateParameters,
    [property: JsonPropertyName("_links")] AzureDevOpsLinks? Links);

internal sealed record AzureDevOpsPipelineReference(int Id, string? Name);

internal sealed record AzureDevOpsLinks(AzureDevOpsLink? Web);

internal sealed record AzureDevOpsLink(string? Href);

/// <summary>The Builds API's view of a run (a YAML pipeline run's id is its build id): only what a cancel reads.</summary>
/// <param name="Status">none, notStarted, inProgress, postponed, cancelling or completed.</param>
internal sealed record AzureDevOpsBuild(int Id, string? Status, string? Result);

/// <summary>The body of <c>PATCH _apis/build/builds/{id}</c> that asks for a cancel.</summary>
internal sealed record AzureDevOpsBuildUpdate(string Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AzureDevOpsBuild))]
[JsonSerializable(typeof(AzureDevOpsBuildUpdate))]
[JsonSerializable(typeof(AzureDevOpsRunRequest))]
[JsonSerializable(typeof(AzureDevOpsRunList))]
[JsonSerializable(typeof(AzureDevOpsRun))]
internal sealed partial class AzureDevOpsJsonContext : JsonSerializerContext;
