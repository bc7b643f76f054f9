using System.Net.Http.Json;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Incidents;

/// <summary>
/// Posts the escalation of a rollback that did not succeed to the incident webhook (API.md, "Escalation"). One
/// attempt per call; the workflow retries with durable timers and records a delivery that still fails.
/// </summary>
public sealed class IncidentNotifier(HttpClient http, IOptionsMonitor<RollbackOptions> options)
{
    public async Task<IncidentDeliveryResult> DeliverAsync(IncidentReport incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var rollback = options.CurrentValue;
        var webhook = rollback.Incident;
        if (webhook.Url is null)
        {
            return new IncidentDeliveryResult(false, true, null, "No incident webhook is configured (Rollback:Incident:Url).");
        }

        var statusPath = $"/api/rollbacks/{Uri.EscapeDataString(incident.RollbackId)}";
        var statusUri = rollback.PublicBaseUrl is { } publicBase ? new Uri(publicBase, statusPath).AbsoluteUri : statusPath;
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = JsonContent.Create(new IncidentPayload(
                incident.RollbackId, incident.Component, incident.Outcome.ToString(), incident.Reason, incident.FromVersion,
                incident.TargetVersion, incident.StartedAt, incident.EndedAt, statusUri)),
        };

        // Deliveries are at least once; the rollback id lets the receiver drop repeats.
        request.Headers.TryAddWithoutValidation("Idempotency-Key", incident.RollbackId);
        if (!string.IsNullOrWhiteSpace(webhook.HeaderName) && webhook.HeaderValue is not null)
        {
            request.Headers.TryAddWithoutValidation(webhook.HeaderName, webhook.HeaderValue);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(webhook.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new IncidentDeliveryResult(true, false, status, null)
                : new IncidentDeliveryResult(false, false, status, $"The incident webhook answered {status} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new IncidentDeliveryResult(false, false, null, $"The incident webhook did not answer within {webhook.RequestTimeout}.");
        }
        catch (HttpRequestException ex)
        {
            return new IncidentDeliveryResult(false, false, null, "The incident webhook could not be reached: " + ex.Message);
        }
    }

    private sealed record IncidentPayload(
        string RollbackId,
        string Component,
        string Outcome,
        string Reason,
        string? FromVersion,
        string? TargetVersion,
        DateTimeOffset StartedAt,
        DateTimeOffset EndedAt,
        string StatusUri);
}
