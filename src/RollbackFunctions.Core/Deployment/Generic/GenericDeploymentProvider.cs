using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Json;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.Generic;

/// <summary>
/// The platform's own deployment API (API.md, "What the app calls"): <c>POST {baseUrl}/deployments</c> and
/// <c>GET {baseUrl}/deployments/{id}</c>. Calls go through <see cref="ProviderHttp"/> like the CI/CD providers': the
/// resilience handler retries 408, 429 and 5xx (honouring Retry-After) only while a retry can finish before the
/// rollback's deadline, and every refusal (400, 401, 403, 404, other 4xx, malformed answers, retries exhausted)
/// becomes a <see cref="DeploymentProviderException"/> with a reason fit for the audit and no secret in it.
/// </summary>
public sealed class GenericDeploymentProvider(
    HttpClient http, IOptionsMonitor<DeploymentProviderEntries<GenericDeploymentOptions>> options, GenericDeploymentCredentials credentials,
    TimeProvider time, ILogger<GenericDeploymentProvider> logger) : IDeploymentProvider
{
    internal const string SystemName = "deployment API";

    // 404: no such deployment; 409: it has already ended. Either way there is nothing to cancel.
    private static readonly FrozenSet<HttpStatusCode> NothingToCancel = [HttpStatusCode.NotFound, HttpStatusCode.Conflict];

    // The token or static header value this instance sent last: scrubbed from anything a server echoes back.
    private string? lastSecret;

    public async Task<DeploymentStarted> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        var api = Api(request.ProviderName);
        const string operation = "start the deployment";
        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint(settings, "deployments"))
        {
            Content = JsonContent.Create(
                new GenericStartRequest(request.Component, request.Version, request.Artifact, request.IdempotencyKey, request.Mode == DeploymentMode.Drill ? "drill" : "rollback", RunMigrations: false, RotateSecrets: false, request.Reason),
                GenericJsonContext.Default.GenericStartRequest),
        };
        message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);

        // Retried by the handler: the Idempotency-Key makes a repeated start return the deployment already created.
        using var response = await SendAsync(settings, api, message, ProviderCallPolicy.From(settings, request.Deadline), operation, alsoAnswers: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted))
        {
            throw api.Fail(operation, $"it answered {(int)response.StatusCode}, not 200, 201 or 202", (int)response.StatusCode, transient: false);
        }

        var started = await api.ReadJsonAsync(response, GenericJsonContext.Default.GenericStartAnswer, operation, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(started.DeploymentId))
        {
            throw api.Fail(operation, "it accepted the deployment but named no deploymentId", statusCode: null, transient: false);
        }

        // 200 is the API's answer to a repeated idempotency key: the deployment already exists.
        return new DeploymentStarted(started.DeploymentId, response.StatusCode == HttpStatusCode.OK);
    }

    public async Task<DeploymentProgress> GetProgressAsync(DeploymentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var settings = Settings(query.ProviderName);
        var api = Api(query.ProviderName);
        var operation = $"read deployment {query.DeploymentId}";
        using var response = await SendAsync(settings, api, new HttpRequestMessage(HttpMethod.Get, DeploymentUri(settings, query.DeploymentId)),
            ProviderCallPolicy.ForRead(settings, query), operation, alsoAnswers: null, cancellationToken).ConfigureAwait(false);
        var progress = await api.ReadJsonAsync(response, GenericJsonContext.Default.GenericProgressAnswer, operation, cancellationToken).ConfigureAwait(false);
        if (progress.Status is not { } state || !Enum.TryParse<DeploymentState>(state, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
        {
            throw api.Fail(operation, $"it answered an unknown status '{progress.Status}'", statusCode: null, transient: false);
        }

        var units = (progress.Units ?? []).Select(u => new DeploymentUnit(u.Name ?? "?", u.Status ?? "Unknown")).ToList();
        return new DeploymentProgress(progress.DeploymentId ?? query.DeploymentId, parsed, units, progress.Message);
    }

    /// <summary>
    /// <c>POST {baseUrl}/deployments/{id}/cancel</c>: 202 is accepted; 404 (unknown) and 409 (already ended) leave
    /// nothing to stop. Retried by the handler within the cancel's own deadline: a repeated cancel changes nothing.
    /// </summary>
    public async Task<DeploymentCancelResult> CancelAsync(DeploymentCancellation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        var api = Api(request.ProviderName);
        var message = new HttpRequestMessage(HttpMethod.Post, DeploymentUri(settings, request.DeploymentId, "/cancel"));
        using var response = await SendAsync(settings, api, message, ProviderCallPolicy.From(settings, request.Deadline),
            $"cancel deployment {request.DeploymentId}", NothingToCancel, cancellationToken).ConfigureAwait(false);
        return NothingToCancel.Contains(response.StatusCode)
            ? new(DeploymentCancelOutcome.AlreadyEnded, $"Deployment {request.DeploymentId} had already ended ({(int)response.StatusCode} from provider '{request.ProviderName}'); nothing to cancel.")
            : new(DeploymentCancelOutcome.Cancelled, $"The deployment API of provider '{request.ProviderName}' accepted the cancel of deployment {request.DeploymentId}.");
    }

    private async Task<HttpResponseMessage> SendAsync(
        GenericDeploymentOptions settings,
        ProviderHttp api,
        HttpRequestMessage message,
        ProviderCallPolicy policy,
        string operation,
        IReadOnlySet<HttpStatusCode>? alsoAnswers,
        CancellationToken cancellationToken)
    {
        lastSecret = await credentials.AuthorizeAsync(message, settings, api, cancellationToken).ConfigureAwait(false);
        return await api.SendAsync(message, policy, operation, "the component and the deployment id", alsoAnswers, cancellationToken).ConfigureAwait(false);
    }

    private GenericDeploymentOptions Settings(string providerName) =>
        options.CurrentValue.Entries.TryGetValue(providerName, out var settings) && settings.BaseUrl is not null
            ? settings
            : throw new DeploymentProviderException($"Provider '{providerName}' has no Rollback:Providers:{providerName}:Generic:BaseUrl.");

    private ProviderHttp Api(string providerName) =>
        new(http, time, logger, SystemName, providerName, () => [lastSecret], ProviderWording.DeploymentApi);

    private static Uri Endpoint(GenericDeploymentOptions settings, string path)
    {
        var baseUrl = settings.BaseUrl!.AbsoluteUri;
        return new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), path);
    }

    private static Uri DeploymentUri(GenericDeploymentOptions settings, string deploymentId, string rest = "") =>
        Endpoint(settings, "deployments/" + Uri.EscapeDataString(deploymentId) + rest);
}
