using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RollbackFunctions.Simulators;

/// <summary>How one simulated deployment behaves, chosen when it is created.</summary>
/// <param name="Statuses">The overall status answered to each poll in turn; the last one repeats.</param>
/// <param name="FinalUnits">Units with their final status; while not finished every unit reports the overall status.</param>
/// <param name="Latency">Added to every request about this deployment (and to its creation).</param>
public sealed record DeploymentScript(IReadOnlyList<string> Statuses, IReadOnlyList<SimulatedUnit> FinalUnits, TimeSpan Latency = default, string? Message = null)
{
    private static readonly SimulatedUnit[] AllSucceeded = [new("web", "Succeeded"), new("worker", "Succeeded")];

    /// <summary>Succeeds at the first poll.</summary>
    public static DeploymentScript Succeed(TimeSpan latency = default) => new(["Succeeded"], AllSucceeded, latency);

    /// <summary>Runs for <paramref name="runningPolls"/> polls, then succeeds.</summary>
    public static DeploymentScript SucceedAfter(int runningPolls, TimeSpan latency = default) =>
        new([.. Enumerable.Repeat("Running", runningPolls), "Succeeded"], AllSucceeded, latency);

    public static DeploymentScript Fail(string message = "deployment failed", TimeSpan latency = default) =>
        new(["Failed"], [new("web", "Failed"), new("worker", "Succeeded")], latency, message);

    /// <summary>Reports the deployment Succeeded while one unit failed: the app must not believe it.</summary>
    public static DeploymentScript Partial(TimeSpan latency = default) =>
        new(["Succeeded"], [new("web", "Succeeded"), new("worker", "Failed")], latency, "1 of 2 units failed");

    /// <summary>Never finishes (for budget tests).</summary>
    public static DeploymentScript RunForever(TimeSpan latency = default) => new(["Running"], AllSucceeded, latency);
}

public sealed record SimulatedUnit(string Name, string Status);

/// <summary>A deployment the simulator created, with the request that created it.</summary>
public sealed record SimulatedDeployment(
    string DeploymentId, string Component, string Version, string Artifact, string IdempotencyKey, string Mode,
    bool RunMigrations, bool RotateSecrets, string? Reason, DeploymentScript Script)
{
    internal readonly Lock Gate = new();
    internal int Polls;

    /// <summary>Set by a cancel accepted while the deployment ran: every later poll answers Failed, "Cancelled".</summary>
    internal bool Cancelled;

    /// <summary>The status the last poll answered (Queued until the first poll).</summary>
    internal string LastStatus = "Queued";
}

/// <summary>One request the simulator saw.</summary>
public sealed record SeenRequest(string Method, string Path, string? Body, string? Authorization, string? ApiKey, DateTimeOffset At);

/// <summary>
/// The generic deployment API of API.md on loopback: <c>POST /deployments</c> honours idempotency keys (the same key
/// returns the same deployment with 200 and creates nothing); <c>GET /deployments/{id}</c> answers per the
/// deployment's script; <c>POST /deployments/{id}/cancel</c> answers 202 while it is Queued or Running (it then
/// answers Failed, "Cancelled"), 409 once it ended and 404 when unknown. Counts deployments actually created and
/// every request seen.
/// </summary>
public sealed class SimulatedDeploymentApi : SimulatedServer
{
    private readonly ConcurrentDictionary<string, SimulatedDeployment> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SimulatedDeployment> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeploymentScript> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, TimeSpan? RetryAfter)> _startFailures = new();
    private readonly ConcurrentQueue<int> _cancelFailures = new();
    private readonly ConcurrentQueue<string> _cancelled = new();
    private readonly Lock _createLock = new();
    private int _created;
    private int _statusFailuresLeft;
    private int _statusFailureStatus;

    private SimulatedDeploymentApi()
    {
    }

    /// <summary>The script of deployments of components without their own.</summary>
    public DeploymentScript DefaultScript { get; set; } = DeploymentScript.Succeed();

    /// <summary>When set, requests without this header value (e.g. "x-demo-key: local-only") get 401.</summary>
    public string? RequiredHeader { get; set; }

    /// <summary>When set, status requests answer 200 with a body that is not JSON.</summary>
    public bool AnswerMalformedStatus { get; set; }

    public int DeploymentsCreated => Volatile.Read(ref _created);

    public IReadOnlyList<SimulatedDeployment> Deployments => [.. _byId.Values.OrderBy(d => d.DeploymentId, StringComparer.Ordinal)];

    public IReadOnlyList<SeenRequest> Requests => [.. _requests];

    /// <summary>Requests to start a deployment (<c>POST /deployments</c>; a cancel is not a start).</summary>
    public int StartRequests => _requests.Count(r => r.Method == "POST" && r.Path == "/deployments");

    /// <summary>Requests to cancel a deployment, answered or not.</summary>
    public int CancelRequests => _requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/cancel", StringComparison.Ordinal));

    /// <summary>The deployments a cancel stopped (answered 202), in order.</summary>
    public IReadOnlyList<string> CancelledDeploymentIds => [.. _cancelled];

    public int StatusRequests => _requests.Count(r => r.Method == "GET");

    public static async Task<SimulatedDeploymentApi> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var api = new SimulatedDeploymentApi();
        await api.StartServerAsync(port, cancellationToken).ConfigureAwait(false);
        return api;
    }

    public void ScriptFor(string component, DeploymentScript script) => _scripts[component] = script;

    /// <summary>The next <paramref name="count"/> start requests answer <paramref name="status"/> (e.g. 503 or 429 with Retry-After).</summary>
    public void FailNextStarts(int status, int count = 1, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _startFailures.Enqueue((status, retryAfter));
        }
    }

    /// <summary>The next <paramref name="count"/> cancel requests answer <paramref name="status"/> (e.g. 503).</summary>
    public void FailNextCancels(int status, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _cancelFailures.Enqueue(status);
        }
    }

    /// <summary>The next <paramref name="count"/> status requests (all of them when not given) answer <paramref name="status"/>.</summary>
    public void FailStatusPolls(int status, int count = int.MaxValue)
    {
        Volatile.Write(ref _statusFailureStatus, status);
        Volatile.Write(ref _statusFailuresLeft, count);
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/deployments", (Func<HttpContext, Task<IResult>>)CreateAsync);
        app.MapGet("/deployments/{id}", GetAsync);
        app.MapPost("/deployments/{id}/cancel", CancelAsync);
    }

    private async Task<IResult> CancelAsync(HttpContext http, string id)
    {
        Record(http, null);
        if (!Authorized(http))
        {
            return Results.Problem(title: "Unauthorized", statusCode: 401);
        }

        if (_cancelFailures.TryDequeue(out var failure))
        {
            return Results.Problem(title: "Simulated failure", statusCode: failure);
        }

        if (!_byId.TryGetValue(id, out var deployment))
        {
            return Results.Problem(title: $"No deployment {id}", statusCode: 404);
        }

        await Delay(deployment.Script).ConfigureAwait(false);
        lock (deployment.Gate)
        {
            if (deployment.Cancelled || !IsRunning(deployment.LastStatus))
            {
                return Results.Problem(title: $"Deployment {id} has already ended", statusCode: 409);
            }

            deployment.Cancelled = true;
        }

        _cancelled.Enqueue(id);
        return Results.Json(new { deploymentId = id, status = "Cancelling" }, statusCode: 202);
    }

    private static bool IsRunning(string status) => status is "Queued" or "Running";

    private async Task<IResult> CreateAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        Record(http, body);
        if (!Authorized(http))
        {
            return Results.Problem(title: "Unauthorized", statusCode: 401);
        }

        if (_startFailures.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            return Results.StatusCode(failure.Status);
        }

        JsonElement json;
        try
        {
            json = JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException)
        {
            return Results.Problem(title: "Malformed JSON", statusCode: 400);
        }

        string? Text(string name) => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        bool Flag(string name) => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        var component = Text("component");
        var version = Text("version");
        var artifact = Text("artifact");
        var key = Text("idempotencyKey");
        if (component is null || version is null || artifact is null || key is null)
        {
            return Results.Problem(title: "component, version, artifact and idempotencyKey are required", statusCode: 400);
        }

        var script = _scripts.TryGetValue(component, out var own) ? own : DefaultScript;
        await Delay(script).ConfigureAwait(false);
        SimulatedDeployment deployment;
        bool created;
        lock (_createLock)
        {
            created = !_byKey.TryGetValue(key, out deployment!);
            if (created)
            {
                deployment = new SimulatedDeployment(
                    "dep-" + (Interlocked.Increment(ref _created)).ToString("D4", CultureInfo.InvariantCulture),
                    component, version, artifact, key, Text("mode") ?? "", Flag("runMigrations"), Flag("rotateSecrets"), Text("reason"), script);
                _byKey[key] = deployment;
                _byId[deployment.DeploymentId] = deployment;
            }
        }

        return created
            ? Results.Json(new { deploymentId = deployment.DeploymentId }, statusCode: 202)
            : Results.Json(new { deploymentId = deployment.DeploymentId }, statusCode: 200);
    }

    private async Task<IResult> GetAsync(HttpContext http, string id)
    {
        Record(http, null);
        if (!Authorized(http))
        {
            return Results.Problem(title: "Unauthorized", statusCode: 401);
        }

        if (!_byId.TryGetValue(id, out var deployment))
        {
            return Results.Problem(title: $"No deployment {id}", statusCode: 404);
        }

        if (Interlocked.Decrement(ref _statusFailuresLeft) >= 0)
        {
            return Results.Problem(title: "Simulated failure", statusCode: Volatile.Read(ref _statusFailureStatus));
        }

        Interlocked.Exchange(ref _statusFailuresLeft, 0);

        await Delay(deployment.Script).ConfigureAwait(false);
        if (AnswerMalformedStatus)
        {
            return Results.Text("{\"deploymentId\": \"" + id + "\", \"status\": ", "application/json");
        }

        string status;
        lock (deployment.Gate)
        {
            if (deployment.Cancelled)
            {
                var stopped = deployment.Script.FinalUnits.Select(u => new { name = u.Name, status = "Cancelled" });
                return Results.Json(new { deploymentId = id, status = "Failed", units = stopped, message = "Cancelled" });
            }

            var poll = ++deployment.Polls;
            var statuses = deployment.Script.Statuses;
            status = statuses[Math.Min(poll - 1, statuses.Count - 1)];
            deployment.LastStatus = status;
        }

        var finished = !IsRunning(status);
        var units = finished
            ? deployment.Script.FinalUnits.Select(u => new { name = u.Name, status = u.Status })
            : deployment.Script.FinalUnits.Select(u => new { name = u.Name, status });
        return Results.Json(new { deploymentId = id, status, units, message = finished ? deployment.Script.Message : null });
    }

    private static Task Delay(DeploymentScript script) => script.Latency > TimeSpan.Zero ? Task.Delay(script.Latency) : Task.CompletedTask;

    private bool Authorized(HttpContext http)
    {
        if (RequiredHeader is null)
        {
            return true;
        }

        var colon = RequiredHeader.IndexOf(':', StringComparison.Ordinal);
        return http.Request.Headers[RequiredHeader[..colon].Trim()].ToString() == RequiredHeader[(colon + 1)..].Trim();
    }

    private void Record(HttpContext http, string? body) => _requests.Enqueue(new SeenRequest(
        http.Request.Method, http.Request.Path.Value ?? "", body, http.Request.Headers.Authorization.ToString(),
        RequiredHeader is null ? null : http.Request.Headers[RequiredHeader[..RequiredHeader.IndexOf(':', StringComparison.Ordinal)].Trim()].ToString(),
        DateTimeOffset.UtcNow));
}
