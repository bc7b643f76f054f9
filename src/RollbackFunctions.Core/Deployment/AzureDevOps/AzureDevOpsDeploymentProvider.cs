using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Identity;
using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.AzureDevOps;

/// <summary>
/// Deploys through an Azure DevOps YAML pipeline run with template parameters. Azure DevOps has no idempotency key,
/// so the rollback id travels as a template parameter and the pipeline names its run after it (<c>name:</c>); a start
/// first looks for a run carrying the rollback id and returns it, so a crash-replayed start never queues twice.
/// </summary>
public sealed class AzureDevOpsDeploymentProvider(
    HttpClient http,
    IOptionsMonitor<DeploymentProviderEntries<AzureDevOpsOptions>> options,
    IDeploymentCredentials credentials,
    AccessTokenCache tokens,
    TimeProvider time,
    ILogger<AzureDevOpsDeploymentProvider> logger) : IDeploymentProvider
{
    internal const string SystemName = "Azure DevOps";
    private const string ApiVersion = "api-version=7.1";

    // The bearer token this instance sent last: scrubbed from anything a server echoes back.
    private string? lastToken;

    public async Task<DeploymentStarted> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        return await IdempotentStart.RunAsync(request, settings, Api(request.ProviderName), FindRunAsync, QueueRunAsync, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeploymentProgress> GetProgressAsync(DeploymentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var settings = Settings(query.ProviderName);
        var api = Api(query.ProviderName);
        const string operation = "reading the pipeline run";
        var runId = RunId(api, query.DeploymentId, operation);
        var run = await SendJsonAsync(settings, api, ProviderCallPolicy.ForRead(settings, query), query.ProviderName, HttpMethod.Get, RunsPath(settings, runId),
            content: null, operation, AzureDevOpsJsonContext.Default.AzureDevOpsRun, cancellationToken).ConfigureAwait(false);
        return api.Reported(Map(query.DeploymentId, run));
    }

    /// <summary>
    /// Cancels through the Builds API (the Pipelines runs API has none; a YAML run's id is its build id): reads the
    /// build, and unless it completed, <c>PATCH _apis/build/builds/{id}</c> with <c>{"status":"cancelling"}</c> (needs
    /// the "Stop builds" permission). The PATCH is read back too, since a build that completes in between may still
    /// accept it unchanged. Both calls are retried by the handler: asking to cancel twice stops nothing new.
    /// </summary>
    public async Task<DeploymentCancelResult> CancelAsync(DeploymentCancellation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        var policy = ProviderCallPolicy.From(settings, request.Deadline);
        var api = Api(request.ProviderName);
        var buildId = RunId(api, request.DeploymentId, "cancelling the pipeline run");

        var build = await SendJsonAsync(settings, api, policy, request.ProviderName, HttpMethod.Get, BuildPath(settings, buildId), content: null,
            "reading the build to cancel", AzureDevOpsJsonContext.Default.AzureDevOpsBuild, cancellationToken).ConfigureAwait(false);
        if (build.Status is not ("completed" or "cancelling"))
        {
            build = await SendJsonAsync(settings, api, policy, request.ProviderName, HttpMethod.Patch, BuildPath(settings, buildId),
                JsonContent.Create(new AzureDevOpsBuildUpdate("cancelling"), AzureDevOpsJsonContext.Default.AzureDevOpsBuildUpdate),
                "cancelling the pipeline run", AzureDevOpsJsonContext.Default.AzureDevOpsBuild, cancellationToken).ConfigureAwait(false);
        }

        return build.Status == "completed"
            ? new(DeploymentCancelOutcome.AlreadyEnded, $"{SystemName} run {buildId} had already completed ({build.Result ?? "no result"}); nothing to cancel.")
            : new(DeploymentCancelOutcome.Cancelled, $"{SystemName} is cancelling run {buildId}.");
    }

    /// <summary>A run's state and result as a deployment's state; partially succeeded is failed (no partial rollback).</summary>
    internal static DeploymentProgress Map(string runId, AzureDevOpsRun run)
    {
        var where = run.Links?.Web?.Href is { } web ? $"run {runId} ({web})" : $"run {runId}";
        var unitName = run.Pipeline?.Name ?? "pipeline";
        DeploymentProgress Progress(DeploymentState state, string unitStatus, string message) =>
            new(runId, state, [new DeploymentUnit(unitName, unitStatus)], message);

        return (run.State, run.Result) switch
        {
            ("completed", "succeeded") => Progress(DeploymentState.Succeeded, "Succeeded", $"{where} succeeded"),
            ("completed", "partiallySucceeded") => Progress(DeploymentState.Failed, "Failed",
                $"{where} partially succeeded: a partial rollback is a failed rollback"),
            ("completed", "canceled") => Progress(DeploymentState.Cancelled, "Cancelled", $"{where} was canceled"),
            ("completed", var result) => Progress(DeploymentState.Failed, "Failed", $"{where} ended {result ?? "without a result"}"),
            ("inProgress", _) => Progress(DeploymentState.Running, "Running", $"{where} is in progress"),
            ("canceling", _) => Progress(DeploymentState.Running, "Running", $"{where} is being canceled"),
            _ => Progress(DeploymentState.Queued, "Queued", $"{where} is {run.State ?? "unknown"}"),
        };
    }

    private async Task<string?> FindRunAsync(
        AzureDevOpsOptions settings, ProviderHttp api, ProviderCallPolicy policy, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var runs = await SendJsonAsync(settings, api, policy, request.ProviderName, HttpMethod.Get, RunsPath(settings, runId: null), content: null,
            "looking for a run already started for this rollback", AzureDevOpsJsonContext.Default.AzureDevOpsRunList, cancellationToken).ConfigureAwait(false);

        // Newest first: the last match is the first run queued for this rollback.
        var match = runs.Value.LastOrDefault(run => Carries(run, settings.Parameters.RollbackId, request.IdempotencyKey));
        return match?.Id.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<string> QueueRunAsync(
        AzureDevOpsOptions settings, ProviderHttp api, ProviderCallPolicy policy, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var body = new AzureDevOpsRunRequest(
            new(new Dictionary<string, AzureDevOpsRepositoryResource>(StringComparer.Ordinal) { ["self"] = new(settings.RefName) }),
            settings.Parameters.ValuesFor(request));

        // Not retried by the handler: a lost answer may hide a queued run, which the next look-up finds.
        var run = await SendJsonAsync(settings, api, policy.WithoutHandlerRetries(), request.ProviderName, HttpMethod.Post, RunsPath(settings, runId: null),
            JsonContent.Create(body, AzureDevOpsJsonContext.Default.AzureDevOpsRunRequest),
            "queuing the pipeline run", AzureDevOpsJsonContext.Default.AzureDevOpsRun, cancellationToken).ConfigureAwait(false);
        var id = run.Id.ToString(CultureInfo.InvariantCulture);
        ProviderLog.StartedRun(logger, SystemName, request.ProviderName, id, request.IdempotencyKey, request.Component, request.Version);
        return id;
    }

    private static bool Carries(AzureDevOpsRun run, string parameterName, string rollbackId)
    {
        if (GitHubActionsDeploymentProvider.TitleCarries(run.Name, rollbackId))
        {
            return true;
        }

        return run.TemplateParameters is { } parameters
            && !string.IsNullOrEmpty(parameterName)
            && parameters.TryGetValue(parameterName, out var value)
            && value.ValueKind == JsonValueKind.String
            && string.Equals(value.GetString(), rollbackId, StringComparison.Ordinal);
    }

    private async Task<T> SendJsonAsync<T>(
        AzureDevOpsOptions settings,
        ProviderHttp api,
        ProviderCallPolicy policy,
        string providerName,
        HttpMethod method,
        Uri uri,
        HttpContent? content,
        string operation,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = new("Bearer", await GetTokenAsync(settings, api, providerName, cancellationToken).ConfigureAwait(false));
        using var response = await api.SendAsync(request, policy, operation,
            $"Rollback:Providers:{providerName}:AzureDevOps:Organization, Project and PipelineId", cancellationToken).ConfigureAwait(false);
        return await api.ReadJsonAsync(response, typeInfo, operation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> GetTokenAsync(AzureDevOpsOptions settings, ProviderHttp api, string providerName, CancellationToken cancellationToken)
    {
        try
        {
            lastToken = await tokens.GetTokenAsync(credentials.For(settings.ManagedIdentityClientId), AzureDevOpsOptions.Scope, cancellationToken).ConfigureAwait(false);
            return lastToken;
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            var identity = string.IsNullOrWhiteSpace(settings.ManagedIdentityClientId)
                ? "the default credential"
                : $"managed identity {settings.ManagedIdentityClientId}";
            throw api.Fail("getting an Entra ID token for Azure DevOps", $"{identity} could not get a token ({ex.GetType().Name}); see Rollback:Providers:{providerName}:AzureDevOps:ManagedIdentityClientId", statusCode: null, transient: false, ex);
        }
    }

    private AzureDevOpsOptions Settings(string providerName) =>
        options.CurrentValue.Entries.TryGetValue(providerName, out var settings)
            ? settings
            : throw new DeploymentProviderException($"{SystemName}: no provider '{providerName}' of type AzureDevOps is configured under Rollback:Providers");

    private ProviderHttp Api(string providerName) => new(http, time, logger, SystemName, providerName, () => [lastToken]);

    private static Uri RunsPath(AzureDevOpsOptions settings, int? runId)
    {
        var run = runId is { } id ? "/" + id.ToString(CultureInfo.InvariantCulture) : "";
        return new Uri(Organization(settings),
            $"{Uri.EscapeDataString(settings.Project)}/_apis/pipelines/{settings.PipelineId.ToString(CultureInfo.InvariantCulture)}/runs{run}?{ApiVersion}");
    }

    private static Uri BuildPath(AzureDevOpsOptions settings, int buildId) =>
        new(Organization(settings), $"{Uri.EscapeDataString(settings.Project)}/_apis/build/builds/{buildId.ToString(CultureInfo.InvariantCulture)}?{ApiVersion}");

    private static Uri Organization(AzureDevOpsOptions settings) =>
        settings.EffectiveOrganizationUrl ?? throw new DeploymentProviderException($"{SystemName}: neither Organization nor OrganizationUrl is configured");

    private static int RunId(ProviderHttp api, string deploymentId, string operation) =>
        int.TryParse(deploymentId, NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            ? runId
            : throw api.Fail(operation, $"'{deploymentId}' is not a pipeline run id", statusCode: null, transient: false);
}
