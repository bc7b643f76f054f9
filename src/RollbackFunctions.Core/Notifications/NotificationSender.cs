using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RollbackFunctions.Notifications;

/// <summary>
/// One delivery attempt to one channel: the channel's formatter renders the message, the idempotency key goes in the
/// <c>Idempotency-Key</c> header, the channel's headers ride along. The orchestrator retries on durable timers, so the
/// client has no retry handler of its own, and no request logging (the URL may be the secret).
/// </summary>
public sealed class NotificationSender(
    HttpClient http,
    IOptionsMonitor<NotificationOptions> options,
    IOptionsMonitor<RollbackOptions> rollback,
    IEnumerable<INotificationFormatter> formatters,
    ILogger<NotificationSender> logger)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task<ChannelAttemptResult> SendAsync(LifecycleNotification notification, string channel, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!options.CurrentValue.Channels.TryGetValue(channel, out var settings) || settings.Url is null)
        {
            return new ChannelAttemptResult(false, null, $"Channel '{channel}' is no longer configured.", Permanent: true);
        }

        var formatter = formatters.Single(f => f.Format == settings.ParsedFormat);
        var body = formatter.Render(notification with { Links = [.. notification.Links.Select(Absolute)] });
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = JsonContent.Create<JsonNode>(body) };
        request.Headers.TryAddWithoutValidation(IdempotencyHeader, notification.IdempotencyKey);
        foreach (var (name, value) in settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        ChannelAttemptResult result;
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            result = response.IsSuccessStatusCode
                ? new ChannelAttemptResult(true, status, null)
                : new ChannelAttemptResult(false, status, $"The channel answered {status} {response.ReasonPhrase}.", Permanent: status is 400 or 404 or 410 or 413);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new ChannelAttemptResult(false, null, $"The channel did not answer within {settings.RequestTimeout}.");
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and port at most, never the path or query.
            result = new ChannelAttemptResult(false, null, "The channel could not be reached: " + (ex.HttpRequestError == HttpRequestError.Unknown ? ex.GetType().Name : ex.HttpRequestError.ToString()) + ".");
        }

        if (result.Delivered)
        {
            NotificationLog.Delivered(logger, notification.IdempotencyKey, channel, attempt, result.StatusCode ?? 0);
        }
        else
        {
            NotificationLog.AttemptFailed(logger, notification.IdempotencyKey, channel, attempt, result.Error!);
        }

        return result;
    }

    private NotificationLink Absolute(NotificationLink link) =>
        rollback.CurrentValue.PublicBaseUrl is { } publicBase && link.Href.StartsWith('/')
            ? link with { Href = new Uri(publicBase, link.Href).AbsoluteUri }
            : link;
}
