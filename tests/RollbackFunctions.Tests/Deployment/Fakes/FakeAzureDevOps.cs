using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Tests.Deployment.Fakes;

/// <summary>
/// Azure DevOps Pipelines REST (api-version 7.1) for one organization, project and YAML pipeline whose
/// <c>name:</c> is <c>rollback-{component}-{version}-{rollbackId}</c>: run a pipeline (200 with the run), list runs
/// (newest first, without template parameters, as the real list), get a run; and the Builds API's view of the same
/// runs (a YAML run's id is its build id): get a build, and update one with <c>{"status":"cancelling"}</c>, which a
/// completed build accepts unchanged (200 with the build as it is). Errors are Azure DevOps'
/// <c>{$id, innerException, message, typeName, typeKey, errorCode, eventId}</c>; a refused bearer token gets 401 with
/// <c>WWW-Authenticate</c>.
/// </summary>
public sealed class FakeAzureDevOps : LoopbackServer
{
    public const string Organization = "contoso";
    public const string Project = "Shop";
    public const int PipelineId = 42;
    public const string RunPipeline = "run-pipeline", ListRuns = "list-runs", GetRun = "get-run", GetBuild = "get-build", UpdateBuild = "update-build";

    private static readonly string[] DeclaredParameters = ["component", "version", "artifact", "rollbackId", "reason"];
    private readonly ConcurrentDictionary<int, JsonObject> runs = new();
    private readonly ConcurrentQueue<int> cancelledBuildIds = new();
    private int nextRunId = 1200;

    public string ExpectedToken { get; set; } = "eyJ0eXAiOiJKV1QiTESTONLY.entra-token-for-azure-devops.signature";

    public Uri OrganizationUrl => new(BaseUri, Organization + "/");

    public int RunsCreated => runs.Count;

    /// <summary>Called with each new run's id, as an agent would pick it up (e.g. to complete it).</summary>
    public Action<int>? OnRunCreated { get; set; }

    public JsonObject Run(int id) => runs[id];

    /// <summary>The builds a cancel was accepted for (moved to cancelling), in order.</summary>
    public IReadOnlyList<int> CancelledBuildIds => [.. cancelledBuildIds];

    public void SetRun(int id, string state, string? result)
    {
        runs[id]["state"] = state;
        runs[id]["result"] = result;
        if (state == "completed")
        {
            runs[id]["finishedDate"] = Now();
        }
    }

    protected override string? OperationOf(string method, string path)
    {
        var runsPath = $"/{Organization}/{Project}/_apis/pipelines/{PipelineId}/runs";
        var buildsPath = $"/{Organization}/{Project}/_apis/build/builds/";
        return (method, path) switch
        {
            ("GET", _) when path.StartsWith(buildsPath, StringComparison.Ordinal) => GetBuild,
            ("PATCH", _) when path.StartsWith(buildsPath, StringComparison.Ordinal) => UpdateBuild,
            ("POST", _) when path == runsPath => RunPipeline,
            ("GET", _) when path == runsPath => ListRuns,
            ("GET", _) when path.StartsWith(runsPath + "/", StringComparison.Ordinal) => GetRun,
            _ => null,
        };
    }

    protected override string ErrorBody(int status) => status == 401 ? "" : new JsonObject
    {
        ["$id"] = "1",
        ["innerException"] = null,
        ["message"] = status switch
        {
            404 => $"The pipeline could not be found.",
            429 => "Request was blocked due to exceeding usage of resource 'Pipelines' in namespace 'User'.",
            >= 500 => "TF400898: An Internal Error Occurred.",
            _ => "The request is invalid.",
        },
        ["typeName"] = "Microsoft.TeamFoundation.Framework.Server.ServiceException, Microsoft.TeamFoundation.Framework.Server",
        ["typeKey"] = "ServiceException",
        ["errorCode"] = 0,
        ["eventId"] = 3000,
    }.ToJsonString();

    protected override async Task HandleNormallyAsync(HttpContext context, string operation, string body)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ExpectedToken}")
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization_uri=https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000";
            context.Response.Headers["X-TFS-FedAuthRedirect"] = "Suppressed";
            context.Response.StatusCode = 401;
            return;
        }

        if (context.Request.Query["api-version"].ToString() != "7.1")
        {
            await WriteJsonAsync(context, 400, "{\"$id\":\"1\",\"message\":\"The requested REST API version is not supported.\",\"typeKey\":\"VssVersionOutOfRangeException\",\"errorCode\":0,\"eventId\":3000}");
            return;
        }

        switch (operation)
        {
            case RunPipeline:
                await RunPipelineAsync(context, body);
                break;
            case ListRuns:
                var list = runs.Values.OrderByDescending(r => r["id"]!.GetValue<int>()).Select(r =>
                {
                    var copy = r.DeepClone().AsObject();
                    copy.Remove("templateParameters");
                    copy.Remove("resources");
                    return (JsonNode)copy;
                }).ToArray();
                await WriteJsonAsync(context, 200, new JsonObject { ["count"] = list.Length, ["value"] = new JsonArray(list) }.ToJsonString());
                break;
            case GetRun:
                var id = int.Parse(context.Request.Path.Value!.Split('/')[^1], CultureInfo.InvariantCulture);
                if (runs.TryGetValue(id, out var run))
                {
                    await WriteJsonAsync(context, 200, run.ToJsonString());
                }
                else
                {
                    await WriteJsonAsync(context, 404, ErrorBody(404));
                }

                break;
            case GetBuild:
            case UpdateBuild:
                await BuildAsync(context, operation, body);
                break;
            default:
                await WriteJsonAsync(context, 404, ErrorBody(404));
                break;
        }
    }

    private async Task BuildAsync(HttpContext context, string operation, string body)
    {
        var id = int.Parse(context.Request.Path.Value!.Split('/')[^1], CultureInfo.InvariantCulture);
        if (!runs.TryGetValue(id, out var run))
        {
            await WriteJsonAsync(context, 404, "{\"$id\":\"1\",\"message\":\"The requested build " + id + " could not be found.\",\"typeKey\":\"BuildNotFoundException\",\"errorCode\":0,\"eventId\":3000}");
            return;
        }

        if (operation == UpdateBuild)
        {
            if (JsonNode.Parse(body)?["status"]?.GetValue<string>() != "cancelling")
            {
                await WriteJsonAsync(context, 400, ErrorBody(400));
                return;
            }

            lock (run)
            {
                if (run["state"]!.GetValue<string>() == "inProgress")
                {
                    run["state"] = "canceling";
                    cancelledBuildIds.Enqueue(id);
                }
            }
        }

        await WriteJsonAsync(context, 200, AsBuild(id, run).ToJsonString());
    }

    /// <summary>A run as the Builds API shows it: Pipelines' canceling is the Builds API's cancelling, canceled stays canceled.</summary>
    private JsonObject AsBuild(int id, JsonObject run) => new()
    {
        ["id"] = id,
        ["buildNumber"] = run["name"]?.GetValue<string>(),
        ["status"] = run["state"]!.GetValue<string>() switch
        {
            "canceling" => "cancelling",
            var state => state,
        },
        ["result"] = run["result"]?.GetValue<string>(),
        ["definition"] = new JsonObject { ["id"] = PipelineId, ["name"] = "shop-rollback" },
        ["project"] = new JsonObject { ["name"] = Project },
        ["url"] = $"{OrganizationUrl}{Project}/_apis/build/Builds/{id}",
        ["sourceBranch"] = "refs/heads/main",
    };

    private async Task RunPipelineAsync(HttpContext context, string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var refName = request["resources"]?["repositories"]?["self"]?["refName"]?.GetValue<string>();
        if (refName != "refs/heads/main")
        {
            await WriteJsonAsync(context, 400, $"{{\"$id\":\"1\",\"message\":\"Could not find ref '{refName}'\",\"typeKey\":\"PipelineValidationException\",\"errorCode\":0,\"eventId\":3000}}");
            return;
        }

        var parameters = request["templateParameters"]?.AsObject() ?? [];
        var unexpected = parameters.Select(p => p.Key).FirstOrDefault(k => !DeclaredParameters.Contains(k));
        if (unexpected is not null)
        {
            await WriteJsonAsync(context, 400, $"{{\"$id\":\"1\",\"message\":\"Unexpected parameter '{unexpected}'\",\"typeKey\":\"PipelineValidationException\",\"errorCode\":0,\"eventId\":3000}}");
            return;
        }

        string Parameter(string name) => parameters[name]?.GetValue<string>() ?? "";
        var id = Interlocked.Increment(ref nextRunId);
        var pipelineUrl = $"{OrganizationUrl}{Project}/_apis/pipelines/{PipelineId}?revision=3";
        var web = $"https://dev.azure.com/{Organization}/{Project}/_build/results?buildId={id}";
        runs[id] = new JsonObject
        {
            ["_links"] = new JsonObject
            {
                ["self"] = new JsonObject { ["href"] = $"{OrganizationUrl}{Project}/_apis/pipelines/{PipelineId}/runs/{id}" },
                ["web"] = new JsonObject { ["href"] = web },
                ["pipeline.web"] = new JsonObject { ["href"] = $"https://dev.azure.com/{Organization}/{Project}/_build/definition?definitionId={PipelineId}" },
                ["pipeline"] = new JsonObject { ["href"] = pipelineUrl },
            },
            ["templateParameters"] = parameters.DeepClone(),
            ["pipeline"] = new JsonObject { ["url"] = pipelineUrl, ["id"] = PipelineId, ["revision"] = 3, ["name"] = "shop-rollback", ["folder"] = "\\" },
            ["state"] = "inProgress",
            ["createdDate"] = Now(),
            ["url"] = $"{OrganizationUrl}{Project}/_apis/pipelines/{PipelineId}/runs/{id}",
            ["resources"] = new JsonObject
            {
                ["repositories"] = new JsonObject
                {
                    ["self"] = new JsonObject
                    {
                        ["repository"] = new JsonObject { ["id"] = "6f9c4d8a-0000-0000-0000-000000000000", ["type"] = "azureReposGit" },
                        ["refName"] = refName,
                        ["version"] = "8d3f0c3e5b1a2f4e6d7c8b9a0f1e2d3c4b5a6978",
                    },
                },
            },
            ["id"] = id,
            ["name"] = $"rollback-{Parameter("component")}-{Parameter("version")}-{Parameter("rollbackId")}",
        };
        var answer = runs[id].ToJsonString();
        OnRunCreated?.Invoke(id);
        await WriteJsonAsync(context, 200, answer);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
