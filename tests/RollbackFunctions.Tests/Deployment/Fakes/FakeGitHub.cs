using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Tests.Deployment.Fakes;

/// <summary>
/// GitHub's REST API (version 2022-11-28) for one repository and one <c>workflow_dispatch</c> workflow whose
/// <c>run-name</c> is <c>Rollback {component} to {version} ({rollback_id})</c>: dispatch (200 with run details when
/// asked, else 204), list workflow runs, get a run, list its jobs, cancel a run (202, or 409 once it completed), and
/// GitHub App installation tokens (verifying the RS256 JWT). Error bodies are GitHub's <c>{message, documentation_url, status}</c>.
/// </summary>
public sealed class FakeGitHub : LoopbackServer
{
    public const string Owner = "contoso";
    public const string Repo = "shop";
    public const string WorkflowFile = "rollback.yml";
    public const string Dispatch = "dispatch", ListRuns = "list-runs", GetRun = "get-run", ListJobs = "list-jobs", CancelRun = "cancel-run", AccessToken = "access-token";

    private static readonly string[] DeclaredInputs = ["component", "version", "artifact", "rollback_id", "reason"];
    private readonly ConcurrentDictionary<long, JsonObject> runs = new();
    private readonly ConcurrentDictionary<long, JsonArray> jobs = new();
    private readonly ConcurrentQueue<long> cancelledRunIds = new();
    private long nextRunId = 9_100_000_000;
    private int installationTokensIssued;

    /// <summary>The token a request must carry (a fine-grained token, or an installation token issued here).</summary>
    public string ExpectedToken { get; set; } = "github_pat_11TESTONLY_secretvalue0123456789";

    /// <summary>When set, the app whose JWT the token endpoint verifies.</summary>
    public (string AppId, long InstallationId, RSA PublicKey)? App { get; set; }

    public string IssuedInstallationToken { get; } = "ghs_TESTONLYinstallationtoken0123456789";

    public int RunsCreated => runs.Count;

    /// <summary>Behave like a GitHub Enterprise Server that predates <c>return_run_details</c>.</summary>
    public bool RejectsReturnRunDetails { get; set; }

    /// <summary>Called with each new run's id, as the runner would pick it up (e.g. to complete it).</summary>
    public Action<long>? OnRunCreated { get; set; }

    public int InstallationTokensIssued => installationTokensIssued;

    /// <summary>The runs a cancel was accepted for (answered 202), in order.</summary>
    public IReadOnlyList<long> CancelledRunIds => [.. cancelledRunIds];

    public IReadOnlyCollection<JsonObject> Runs => [.. runs.Values];

    public JsonObject Run(long id) => runs[id];

    /// <summary>Moves a run on, as the runner would; jobs as (name, conclusion).</summary>
    public void SetRun(long id, string status, string? conclusion, params (string Name, string? Conclusion)[] runJobs)
    {
        var run = runs[id];
        run["status"] = status;
        run["conclusion"] = conclusion;
        run["updated_at"] = Now();
        var array = new JsonArray();
        var jobId = id * 10;
        foreach (var (name, jobConclusion) in runJobs)
        {
            array.Add(new JsonObject
            {
                ["id"] = ++jobId,
                ["run_id"] = id,
                ["run_attempt"] = 1,
                ["workflow_name"] = "Rollback",
                ["head_branch"] = "main",
                ["name"] = name,
                ["status"] = jobConclusion is null ? "in_progress" : "completed",
                ["conclusion"] = jobConclusion,
                ["started_at"] = Now(),
                ["completed_at"] = jobConclusion is null ? null : Now(),
                ["html_url"] = $"https://github.com/{Owner}/{Repo}/actions/runs/{id}/job/{jobId}",
                ["steps"] = new JsonArray(),
            });
        }

        jobs[id] = array;
    }

    protected override string? OperationOf(string method, string path)
    {
        var repo = $"/repos/{Owner}/{Repo}/actions/";
        if (method == "POST" && path.StartsWith("/app/installations/", StringComparison.Ordinal) && path.EndsWith("/access_tokens", StringComparison.Ordinal))
        {
            return AccessToken;
        }

        if (!path.StartsWith(repo, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[repo.Length..];
        return (method, rest) switch
        {
            ("POST", $"workflows/{WorkflowFile}/dispatches") => Dispatch,
            ("GET", $"workflows/{WorkflowFile}/runs") => ListRuns,
            ("POST", _) when rest.StartsWith("runs/", StringComparison.Ordinal) && rest.EndsWith("/cancel", StringComparison.Ordinal) => CancelRun,
            ("GET", _) when rest.StartsWith("runs/", StringComparison.Ordinal) && rest.EndsWith("/jobs", StringComparison.Ordinal) => ListJobs,
            ("GET", _) when rest.StartsWith("runs/", StringComparison.Ordinal) => GetRun,
            _ => null,
        };
    }

    protected override string ErrorBody(int status) => new JsonObject
    {
        ["message"] = status switch
        {
            401 => "Bad credentials",
            403 => "Resource not accessible by personal access token",
            404 => "Not Found",
            409 => "Conflict",
            422 => "Unprocessable Entity",
            429 => "API rate limit exceeded",
            500 => "Server Error",
            502 => "Server Error",
            503 => "Service Unavailable",
            _ => "Error",
        },
        ["documentation_url"] = "https://docs.github.com/rest",
        ["status"] = status.ToString(CultureInfo.InvariantCulture),
    }.ToJsonString();

    protected override async Task HandleNormallyAsync(HttpContext context, string operation, string body)
    {
        if (operation == AccessToken)
        {
            await IssueInstallationTokenAsync(context);
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ExpectedToken}")
        {
            await WriteJsonAsync(context, 401, ErrorBody(401));
            return;
        }

        if (context.Request.Headers["X-GitHub-Api-Version"].ToString() != "2022-11-28"
            || !context.Request.Headers.Accept.ToString().Contains("application/vnd.github+json", StringComparison.Ordinal)
            || string.IsNullOrEmpty(context.Request.Headers.UserAgent.ToString()))
        {
            // GitHub refuses requests without a User-Agent; the test wants every header the provider promises.
            await WriteJsonAsync(context, 400, "{\"message\":\"missing GitHub headers\",\"status\":\"400\"}");
            return;
        }

        switch (operation)
        {
            case Dispatch:
                await DispatchAsync(context, body);
                break;
            case ListRuns:
                await ListRunsAsync(context);
                break;
            case GetRun:
                var id = long.Parse(context.Request.Path.Value!.Split('/')[^1], CultureInfo.InvariantCulture);
                if (runs.TryGetValue(id, out var run))
                {
                    await WriteJsonAsync(context, 200, run.ToJsonString());
                }
                else
                {
                    await WriteJsonAsync(context, 404, ErrorBody(404));
                }

                break;
            case ListJobs:
                var runId = long.Parse(context.Request.Path.Value!.Split('/')[^2], CultureInfo.InvariantCulture);
                var list = jobs.TryGetValue(runId, out var array) ? array : [];
                await WriteJsonAsync(context, 200, new JsonObject { ["total_count"] = list.Count, ["jobs"] = list.DeepClone() }.ToJsonString());
                break;
            case CancelRun:
                await CancelRunAsync(context, long.Parse(context.Request.Path.Value!.Split('/')[^2], CultureInfo.InvariantCulture));
                break;
            default:
                await WriteJsonAsync(context, 404, ErrorBody(404));
                break;
        }
    }

    private async Task DispatchAsync(HttpContext context, string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var gitRef = request["ref"]?.GetValue<string>();
        if (gitRef != "main")
        {
            await WriteJsonAsync(context, 422, $"{{\"message\":\"No ref found for: {gitRef}\",\"status\":\"422\"}}");
            return;
        }

        if (RejectsReturnRunDetails && request.ContainsKey("return_run_details"))
        {
            await WriteJsonAsync(context, 422, "{\"message\":\"Invalid request.\\n\\n\\\"return_run_details\\\" is not a permitted key.\",\"documentation_url\":\"https://docs.github.com/enterprise-server@3.14/rest\",\"status\":\"422\"}");
            return;
        }

        var inputs = request["inputs"]?.AsObject() ?? [];
        var unexpected = inputs.Select(i => i.Key).Where(k => !DeclaredInputs.Contains(k)).ToList();
        if (unexpected.Count > 0)
        {
            await WriteJsonAsync(context, 422, new JsonObject { ["message"] = $"Unexpected inputs provided: [\"{string.Join("\", \"", unexpected)}\"]", ["status"] = "422" }.ToJsonString());
            return;
        }

        var id = Interlocked.Increment(ref nextRunId);
        string Input(string name) => inputs[name]?.GetValue<string>() ?? "";
        runs[id] = new JsonObject
        {
            ["id"] = id,
            ["name"] = "Rollback",
            ["display_title"] = $"Rollback {Input("component")} to {Input("version")} ({Input("rollback_id")})",
            ["event"] = "workflow_dispatch",
            ["status"] = "queued",
            ["conclusion"] = null,
            ["workflow_id"] = 161335,
            ["head_branch"] = gitRef,
            ["run_number"] = runs.Count + 1,
            ["run_attempt"] = 1,
            ["path"] = $".github/workflows/{WorkflowFile}",
            ["created_at"] = Now(),
            ["updated_at"] = Now(),
            ["url"] = $"{BaseUri}repos/{Owner}/{Repo}/actions/runs/{id}",
            ["html_url"] = $"https://github.com/{Owner}/{Repo}/actions/runs/{id}",
            ["jobs_url"] = $"{BaseUri}repos/{Owner}/{Repo}/actions/runs/{id}/jobs",
            ["inputs_seen"] = inputs.DeepClone(),
        };

        OnRunCreated?.Invoke(id);
        if (request["return_run_details"]?.GetValue<bool>() == true)
        {
            await WriteJsonAsync(context, 200, new JsonObject
            {
                ["workflow_run_id"] = id,
                ["run_url"] = $"{BaseUri}repos/{Owner}/{Repo}/actions/runs/{id}",
                ["html_url"] = $"https://github.com/{Owner}/{Repo}/actions/runs/{id}",
            }.ToJsonString());
        }
        else
        {
            context.Response.StatusCode = 204;
        }
    }

    /// <summary>As GitHub: a run not yet completed is cancelled (202 with an empty object); a completed one is 409.</summary>
    private async Task CancelRunAsync(HttpContext context, long id)
    {
        if (!runs.TryGetValue(id, out var run))
        {
            await WriteJsonAsync(context, 404, ErrorBody(404));
            return;
        }

        bool accepted;
        lock (run)
        {
            accepted = run["status"]?.GetValue<string>() != "completed";
            if (accepted)
            {
                run["status"] = "completed";
                run["conclusion"] = "cancelled";
                run["updated_at"] = Now();
                cancelledRunIds.Enqueue(id);
            }
        }

        if (accepted)
        {
            await WriteJsonAsync(context, 202, "{}");
        }
        else
        {
            await WriteJsonAsync(context, 409, "{\"message\":\"Cannot cancel a workflow run that is completed.\",\"documentation_url\":\"https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run\",\"status\":\"409\"}");
        }
    }

    private async Task ListRunsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var created = query["created"].ToString();
        DateTimeOffset? since = created.StartsWith(">=", StringComparison.Ordinal)
            ? DateTimeOffset.Parse(created[2..], CultureInfo.InvariantCulture)
            : null;
        var eventFilter = query["event"].ToString();
        var matching = runs.Values
            .Where(r => string.IsNullOrEmpty(eventFilter) || r["event"]!.GetValue<string>() == eventFilter)
            .Where(r => since is null || DateTimeOffset.Parse(r["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= since)
            .OrderByDescending(r => r["id"]!.GetValue<long>())
            .Select(r => (JsonNode)r.DeepClone())
            .ToArray();
        await WriteJsonAsync(context, 200, new JsonObject { ["total_count"] = matching.Length, ["workflow_runs"] = new JsonArray(matching) }.ToJsonString());
    }

    private async Task IssueInstallationTokenAsync(HttpContext context)
    {
        var installation = long.Parse(context.Request.Path.Value!.Split('/')[3], CultureInfo.InvariantCulture);
        var jwt = context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
        if (App is not { } app || installation != app.InstallationId || !VerifyJwt(jwt, app.AppId, app.PublicKey))
        {
            await WriteJsonAsync(context, 401, "{\"message\":\"A JSON web token could not be decoded\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}");
            return;
        }

        Interlocked.Increment(ref installationTokensIssued);
        ExpectedToken = IssuedInstallationToken;
        await WriteJsonAsync(context, 201, new JsonObject
        {
            ["token"] = IssuedInstallationToken,
            ["expires_at"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["permissions"] = new JsonObject { ["actions"] = "write", ["metadata"] = "read" },
            ["repository_selection"] = "selected",
        }.ToJsonString());
    }

    /// <summary>RS256 over header.payload with the app's public key; iss is the app; iat/exp span at most ten minutes around now.</summary>
    private static bool VerifyJwt(string jwt, string appId, RSA publicKey)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        if (header.RootElement.GetProperty("alg").GetString() != "RS256")
        {
            return false;
        }

        var valid = publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var iat = payload.RootElement.GetProperty("iat").GetInt64();
        var exp = payload.RootElement.GetProperty("exp").GetInt64();
        return valid
            && payload.RootElement.GetProperty("iss").GetString() == appId
            && iat <= now && exp > now && exp - iat <= 600;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
