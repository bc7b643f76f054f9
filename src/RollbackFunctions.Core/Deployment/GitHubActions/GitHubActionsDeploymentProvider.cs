using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Json;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.GitHubActions;

/// <summary>
/// Deploys through a GitHub Actions <c>workflow_dispatch</c> workflow. GitHub has no idempotency key, so the rollback
/// id travels as an input and the workflow must name its run after it (<c>run-name</c>); a start first looks for a
/// run whose title carries the rollback id and returns it, so a crash-replayed start never dispatches twice.
/// </summary>
public sealed partial class GitHubActionsDeploymentProvider(
    HttpClient http,
    IOptionsMonitor<DeploymentProviderEntries<GitHubActionsOptions>> options,
    GitHubAppTokenSource appTokens,
    TimeProvider time,
    ILogger<GitHubActionsDeploymentProvider> logger) : IDeploymentProvider
{
    internal const string SystemName = "GitHub Actions";
    private const int RunsPerPage = 100;
    private static readonly TimeSpan DiscoveryPollInterval = TimeSpan.FromSeconds(1);

    // GitHub answers 409 to a cancel of a run that has completed.
    private static readonly FrozenSet<HttpStatusCode> CompletedRun = [HttpStatusCode.Conflict];

    public async Task<DeploymentStarted> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        return await IdempotentStart.RunAsync(request, settings, Api(settings, request.ProviderName), FindRunAsync, DispatchAsync, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeploymentProgress> GetProgressAsync(DeploymentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var settings = Settings(query.ProviderName);
        var policy = ProviderCallPolicy.ForRead(settings, query);
        var api = Api(settings, query.ProviderName);
        const string operation = "reading the workflow run";

        var runId = RunId(api, query.DeploymentId, operation);
        var run = await GetJsonAsync(settings, api, policy, query.ProviderName, RepoPath(settings, $"actions/runs/{runId}"), operation,
            GitHubJsonContext.Default.GitHubWorkflowRun, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<DeploymentUnit> units = [];
        if (string.Equals(run.Status, "completed", StringComparison.Ordinal))
        {
            var jobs = await GetJsonAsync(settings, api, policy, query.ProviderName,
                RepoPath(settings, $"actions/runs/{runId}/jobs?filter=latest&per_page={RunsPerPage}"), "reading the workflow run's jobs",
                GitHubJsonContext.Default.GitHubJobList, cancellationToken).ConfigureAwait(false);
            units = [.. jobs.Jobs.Select(job => new DeploymentUnit(job.Name, UnitStatus(job.Status, job.Conclusion)))];
        }

        return api.Reported(Map(query.DeploymentId, run, units));
    }

    /// <summary>
    /// <c>POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel</c> (needs <c>actions: write</c>): 202 is accepted,
    /// 409 means the run had completed. Retried by the handler: a repeated cancel stops nothing new.
    /// </summary>
    public async Task<DeploymentCancelResult> CancelAsync(DeploymentCancellation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        var policy = ProviderCallPolicy.From(settings, request.Deadline);
        var api = Api(settings, request.ProviderName);
        const string operation = "cancelling the workflow run";
        var runId = RunId(api, request.DeploymentId, operation);

        var message = new HttpRequestMessage(HttpMethod.Post, ApiUri(settings, RepoPath(settings, $"actions/runs/{runId}/cancel")));
        await AuthorizeAsync(message, settings, api, policy, request.ProviderName, cancellationToken).ConfigureAwait(false);
        using var response = await api.SendAsync(message, policy, operation, NotFoundHint(request.ProviderName), CompletedRun, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.Conflict
            ? new(DeploymentCancelOutcome.AlreadyEnded, $"{SystemName} run {runId} had already completed; nothing to cancel.")
            : new(DeploymentCancelOutcome.Cancelled, $"{SystemName} accepted the cancel of run {runId}.");
    }

    /// <summary>A run's status and conclusion, and its jobs, as a deployment's state: a component is deployed whole or not at all.</summary>
    internal static DeploymentProgress Map(string runId, GitHubWorkflowRun run, IReadOnlyList<DeploymentUnit> units)
    {
        var where = run.HtmlUrl is null ? $"run {runId}" : $"run {runId} ({run.HtmlUrl})";
        switch (run.Status)
        {
            case "completed":
                break;
            case "in_progress":
                return new(runId, DeploymentState.Running, units, $"{where} is in progress");
            default:
                // queued, requested, waiting (environment approval), pending.
                return new(runId, DeploymentState.Queued, units, $"{where} is {run.Status ?? "queued"}");
        }

        switch (run.Conclusion)
        {
            case "success":
                var incomplete = units.Where(unit => unit.Status != "Succeeded").ToList();
                return incomplete.Count == 0
                    ? new(runId, DeploymentState.Succeeded, units, $"{where} succeeded")
                    : new(runId, DeploymentState.Failed, units,
                        $"{where} concluded success but not every job ran to success ({Describe(incomplete)}): a partial rollback is a failed rollback");
            case "cancelled":
                return new(runId, DeploymentState.Cancelled, units, $"{where} was cancelled");
            default:
                var failed = units.Where(unit => unit.Status != "Succeeded").ToList();
                var jobs = failed.Count == 0 ? "" : $"; jobs not succeeded: {Describe(failed)}";
                return new(runId, DeploymentState.Failed, units, $"{where} concluded {run.Conclusion ?? "without a conclusion"}{jobs}");
        }
    }

    internal static string UnitStatus(string? status, string? conclusion) => conclusion switch
    {
        "success" => "Succeeded",
        "skipped" => "Skipped",
        "cancelled" => "Cancelled",
        null => status == "in_progress" ? "Running" : status == "completed" ? "Failed" : "Queued",
        _ => "Failed",
    };

    /// <summary>
    /// True when a run title carries the rollback id not glued to a letter or digit on either side, so <c>rb-1</c>
    /// never matches <c>rb-10</c> while <c>rollback-web-1.4.2-rb-1</c> and <c>Rollback web to 1.4.2 (rb-1)</c> match.
    /// </summary>
    internal static bool TitleCarries(string? title, string rollbackId)
    {
        if (string.IsNullOrEmpty(title))
        {
            return false;
        }

        for (var at = title.IndexOf(rollbackId, StringComparison.Ordinal); at >= 0; at = title.IndexOf(rollbackId, at + 1, StringComparison.Ordinal))
        {
            var end = at + rollbackId.Length;
            if ((at == 0 || !IsIdCharacter(title[at - 1])) && (end == title.Length || !IsIdCharacter(title[end])))
            {
                return true;
            }
        }

        return false;
    }

    internal static Uri ApiUri(GitHubActionsOptions settings, string relative)
    {
        var root = settings.ApiBaseUrl.AbsoluteUri.EndsWith('/') ? settings.ApiBaseUrl : new Uri(settings.ApiBaseUrl.AbsoluteUri + "/");
        return new Uri(root, relative);
    }

    private static long RunId(ProviderHttp api, string deploymentId, string operation) =>
        long.TryParse(deploymentId, NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            ? runId
            : throw api.Fail(operation, $"'{deploymentId}' is not a workflow run id", statusCode: null, transient: false);

    private static string NotFoundHint(string providerName) => $"Rollback:Providers:{providerName}:GitHub:Owner, Repository and Workflow";

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string Describe(IEnumerable<DeploymentUnit> units) =>
        string.Join(", ", units.Select(unit => $"{unit.Name} {unit.Status.ToLowerInvariant()}"));

    private async Task<string?> FindRunAsync(
        GitHubActionsOptions settings, ProviderHttp api, ProviderCallPolicy policy, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var since = (request.Deadline - settings.RunLookback).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var path = RepoPath(settings, $"actions/workflows/{Uri.EscapeDataString(settings.Workflow)}/runs"
            + $"?event=workflow_dispatch&created={Uri.EscapeDataString(">=" + since)}&per_page={RunsPerPage}");
        var runs = await GetJsonAsync(settings, api, policy, request.ProviderName, path, "looking for a run already started for this rollback",
            GitHubJsonContext.Default.GitHubWorkflowRunList, cancellationToken).ConfigureAwait(false);

        // Newest first: the last match is the first run dispatched for this rollback.
        var match = runs.WorkflowRuns.LastOrDefault(run => TitleCarries(run.DisplayTitle ?? run.Name, request.IdempotencyKey));
        return match?.Id.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<string> DispatchAsync(
        GitHubActionsOptions settings, ProviderHttp api, ProviderCallPolicy policy, DeploymentRequest request, CancellationToken cancellationToken)
    {
        const string operation = "dispatching the workflow";
        var inputs = settings.Inputs.ValuesFor(request);

        GitHubDispatchResponse? details;
        try
        {
            details = await PostDispatchAsync(settings, api, policy, request.ProviderName, new(settings.Ref, inputs, settings.ReturnRunDetails ? true : null), cancellationToken).ConfigureAwait(false);
        }
        catch (DeploymentProviderException ex) when (settings.ReturnRunDetails
            && ex.StatusCode is 400 or 422
            && ex.Message.Contains("return_run_details", StringComparison.Ordinal))
        {
            // An older GitHub Enterprise Server rejects the parameter: dispatch without it and find the run by name.
            details = await PostDispatchAsync(settings, api, policy, request.ProviderName, new(settings.Ref, inputs, null), cancellationToken).ConfigureAwait(false);
        }

        if (details?.WorkflowRunId is { } runId)
        {
            var id = runId.ToString(CultureInfo.InvariantCulture);
            ProviderLog.StartedRun(logger, SystemName, request.ProviderName, id, request.IdempotencyKey, request.Component, request.Version);
            return id;
        }

        // Dispatched without a run id (204): the run is found by its title. It must not be dispatched again, so failing
        // to find it is final: the workflow is not naming its runs after the rollback id.
        var discoverUntil = Min(time.GetUtcNow() + settings.RunDiscoveryTimeout, request.Deadline);
        while (true)
        {
            var found = await FindRunAsync(settings, api, policy, request, cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                ProviderLog.StartedRun(logger, SystemName, request.ProviderName, found, request.IdempotencyKey, request.Component, request.Version);
                return found;
            }

            if (time.GetUtcNow() + DiscoveryPollInterval >= discoverUntil)
            {
                throw api.Fail(operation,
                    $"the workflow was dispatched but no run titled with rollback id '{request.IdempotencyKey}' appeared; "
                    + $"the workflow must set run-name from the '{settings.Inputs.RollbackId}' input",
                    statusCode: null, transient: false);
            }

            await Task.Delay(DiscoveryPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<GitHubDispatchResponse?> PostDispatchAsync(
        GitHubActionsOptions settings, ProviderHttp api, ProviderCallPolicy policy, string providerName, GitHubDispatchRequest body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ApiUri(settings, RepoPath(settings, $"actions/workflows/{Uri.EscapeDataString(settings.Workflow)}/dispatches")))
        {
            Content = JsonContent.Create(body, GitHubJsonContext.Default.GitHubDispatchRequest),
        };
        await AuthorizeAsync(request, settings, api, policy, providerName, cancellationToken).ConfigureAwait(false);

        // Not retried by the handler: a lost answer may hide a started run, which the next look-up finds.
        using var response = await api.SendAsync(request, policy.WithoutHandlerRetries(), "dispatching the workflow",
            NotFoundHint(providerName), cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NoContent
            ? null
            : await api.ReadJsonAsync(response, GitHubJsonContext.Default.GitHubDispatchResponse, "dispatching the workflow", cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetJsonAsync<T>(
        GitHubActionsOptions settings,
        ProviderHttp api,
        ProviderCallPolicy policy,
        string providerName,
        string path,
        string operation,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ApiUri(settings, path));
        await AuthorizeAsync(request, settings, api, policy, providerName, cancellationToken).ConfigureAwait(false);
        using var response = await api.SendAsync(request, policy, operation,
            NotFoundHint(providerName), cancellationToken).ConfigureAwait(false);
        return await api.ReadJsonAsync(response, typeInfo, operation, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuthorizeAsync(
        HttpRequestMessage request, GitHubActionsOptions settings, ProviderHttp api, ProviderCallPolicy policy, string providerName, CancellationToken cancellationToken)
    {
        var token = settings.UsesApp
            ? await appTokens.GetTokenAsync(settings, providerName, api, policy, cancellationToken).ConfigureAwait(false)
            : settings.Token!;
        request.Headers.Authorization = new("Bearer", token);
    }

    private GitHubActionsOptions Settings(string providerName) =>
        options.CurrentValue.Entries.TryGetValue(providerName, out var settings)
            ? settings
            : throw new DeploymentProviderException($"{SystemName}: no provider '{providerName}' of type GitHubActions is configured under Rollback:Providers");

    private ProviderHttp Api(GitHubActionsOptions settings, string providerName) =>
        new(http, time, logger, SystemName, providerName, () => [settings.Token, settings.PrivateKey, appTokens.CachedToken(settings)]);

    private static string RepoPath(GitHubActionsOptions settings, string rest) =>
        $"repos/{Uri.EscapeDataString(settings.Owner)}/{Uri.EscapeDataString(settings.Repository)}/{rest}";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
