using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RollbackFunctions.Deployment.Http;

namespace RollbackFunctions.Deployment.Generic;

/// <summary>
/// The platform's own deployment API (API.md, "What the app calls"): <c>POST {baseUrl}/deployments</c> and
/// <c>GET {baseUrl}/deployments/{id}</c>. The typed client carries the CI/CD providers' resilience handler (408, 429
/// and 5xx retried, honouring Retry-After) with this call's <see cref="ProviderCallPolicy"/>, so no retry starts that
/// could not finish before the rollback's deadline and a failure keeps the provider's last answer.
/// Refusals (400, 401, 403, 404, other 4xx, malformed answers, retries exhausted) become
/// <see cref="DeploymentProviderException"/> with a reason fit for the audit.
/// </summary>
public sealed class GenericDeploymentProvider(
    HttpClient http, IOptionsMonitor<RollbackOptions> options, GenericDeploymentCredentials credentials, TimeProvider time) : IDeploymentProvider
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<DeploymentStarted> StartAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settings(request.ProviderName);
        var body = JsonSerializer.Serialize(new StartBody(
            request.Component, request.Version, request.Artifact, request.IdempotencyKey, "rollback", RunMigrations: false, RotateSecrets: false, request.Reason), Json);
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint(settings, "deployments"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        // Retried by the handler: the Idempotency-Key makes a repeated start return the deployment already created.
        var (status, answer) = await SendAsync(message, request.ProviderName, settings, ProviderCallPolicy.From(settings, request.Deadline), "start the deployment", cancellationToken).ConfigureAwait(false);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted))
        {
            throw Refused(request.ProviderName, "start the deployment", status);
        }

        var started = Parse<StartAnswer>(answer, request.ProviderName, "start the deployment");
        if (string.IsNullOrWhiteSpace(started?.DeploymentId))
        {
            throw new DeploymentProviderException($"The deployment API of provider '{request.ProviderName}' accepted the deployment but named no deploymentId.");
        }

        // 200 is the API's answer to a repeated idempotency key: the deployment already exists.
        return new DeploymentStarted(started.DeploymentId, status == HttpStatusCode.OK);
    }

    public async Task<DeploymentProgress> GetProgressAsync(DeploymentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var settings = Settings(query.ProviderName);
        using var message = new HttpRequestMessage(HttpMethod.Get, Endpoint(settings, "deployments/" + Uri.EscapeDataString(query.DeploymentId)));
        var (status, answer) = await SendAsync(message, query.ProviderName, settings, ProviderCallPolicy.ForRead(settings, query),
            $"read deployment {query.DeploymentId}", cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw Refused(query.ProviderName, $"read deployment {query.DeploymentId}", status);
        }

        var progress = Parse<ProgressAnswer>(answer, query.ProviderName, $"read deployment {query.DeploymentId}");
        if (progress?.Status is not { } state || !Enum.TryParse<DeploymentState>(state, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
        {
            throw new DeploymentProviderException($"The deployment API of provider '{query.ProviderName}' answered deployment {query.DeploymentId} with an unknown status '{progress?.Status}'.");
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
        var action = $"cancel deployment {request.DeploymentId}";
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint(settings, "deployments/" + Uri.EscapeDataString(request.DeploymentId) + "/cancel"));
        var (status, _) = await SendAsync(message, request.ProviderName, settings, ProviderCallPolicy.From(settings, request.Deadline), action, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.NoContent =>
                new DeploymentCancelResult(DeploymentCancelOutcome.Cancelled, $"The deployment API of provider '{request.ProviderName}' accepted the cancel of deployment {request.DeploymentId}."),
            HttpStatusCode.NotFound or HttpStatusCode.Conflict =>
                new DeploymentCancelResult(DeploymentCancelOutcome.AlreadyEnded, $"Deployment {request.DeploymentId} had already ended ({(int)status} from provider '{request.ProviderName}'); nothing to cancel."),
            _ => throw Refused(request.ProviderName, action, status),
        };
    }

    private GenericDeploymentOptions Settings(string providerName) =>
        options.CurrentValue.Providers.TryGetValue(providerName, out var provider) && provider.Generic.BaseUrl is not null
            ? provider.Generic
            : throw new DeploymentProviderException($"Provider '{providerName}' has no Rollback:Providers:{providerName}:Generic:BaseUrl.");

    private static Uri Endpoint(GenericDeploymentOptions settings, string path)
    {
        var baseUrl = settings.BaseUrl!.AbsoluteUri;
        return new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), path);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpRequestMessage message, string providerName, GenericDeploymentOptions settings, ProviderCallPolicy policy, string action, CancellationToken cancellationToken)
    {
        var deadline = policy.Deadline;
        var remaining = deadline - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            throw new DeploymentProviderException($"Did not {action}: the rollback's deadline {deadline:O} has passed.") { DeadlinePassed = true };
        }

        await credentials.AuthorizeAsync(message, providerName, settings, cancellationToken).ConfigureAwait(false);

        // The resilience handler bounds each attempt (RequestTimeout) and retries only while a retry can finish before
        // the deadline; the deadline itself bounds the whole call.
        message.Options.Set(ProviderCallPolicy.Key, policy);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(remaining);
        try
        {
            using var response = await http.SendAsync(message, bound.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(bound.Token).ConfigureAwait(false);
            if (ProviderResilience.IsTransientStatus(response))
            {
                var retried = policy.RetryByHandler ? "after the retries the rollback's deadline allowed" : "(a single attempt)";
                throw new DeploymentProviderException(
                    $"The deployment API of provider '{providerName}' still answered {(int)response.StatusCode} {response.ReasonPhrase} {retried}; could not {action}.")
                {
                    StatusCode = (int)response.StatusCode,
                    IsTransient = true,
                    RetryAfter = ProviderResilience.RetryAfter(response, time),
                    DeadlinePassed = time.GetUtcNow() >= deadline,
                };
            }

            return (response.StatusCode, body);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DeploymentProviderException($"The deployment API of provider '{providerName}' did not answer in time (request timeout or the rollback's deadline); could not {action}.", ex)
            {
                IsTransient = true,
                DeadlinePassed = time.GetUtcNow() >= deadline,
            };
        }
        catch (BrokenCircuitException ex)
        {
            throw new DeploymentProviderException($"Calls to the deployment API of provider '{providerName}' are suspended after repeated failures (circuit open); could not {action}.", ex)
            {
                IsTransient = true,
                DeadlinePassed = time.GetUtcNow() >= deadline,
            };
        }
        catch (HttpRequestException ex)
        {
            throw new DeploymentProviderException($"The deployment API of provider '{providerName}' could not be reached after retries; could not {action}: {ex.Message}", ex)
            {
                IsTransient = true,
                DeadlinePassed = time.GetUtcNow() >= deadline,
            };
        }
    }

    private static DeploymentProviderException Refused(string providerName, string action, HttpStatusCode status) => new(
        $"The deployment API of provider '{providerName}' refused to {action}: {(int)status} {status}" + status switch
        {
            HttpStatusCode.BadRequest => " (the request was invalid).",
            HttpStatusCode.Unauthorized => " (the credentials were not accepted; check Scope or StaticHeader).",
            HttpStatusCode.Forbidden => " (the identity may not deploy this component).",
            HttpStatusCode.NotFound => " (unknown component or deployment).",
            _ => ".",
        })
    { StatusCode = (int)status };

    private static T? Parse<T>(string body, string providerName, string action)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException ex)
        {
            throw new DeploymentProviderException($"The deployment API of provider '{providerName}' answered malformed JSON; could not {action}.", ex);
        }
    }

    private sealed record StartBody(string Component, string Version, string Artifact, string IdempotencyKey, string Mode, bool RunMigrations, bool RotateSecrets, string Reason);

    private sealed record StartAnswer(string? DeploymentId);

    private sealed record ProgressAnswer(string? DeploymentId, string? Status, List<UnitAnswer>? Units, string? Message);

    private sealed record UnitAnswer(string? Name, string? Status);
}
