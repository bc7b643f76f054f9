using System.Net;

namespace RollbackFunctions.Notifications;

/// <summary>Refuses to start with a channel that could not deliver or would send its headers in clear text.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase) { "Idempotency-Key", "Content-Type", "Content-Length", "Host" };

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (channel, settings) in options.Channels)
        {
            var at = $"{NotificationOptions.ChannelsSection}:{channel}";
            if (settings.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{at}:Url must be an absolute http(s) URL.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
            {
                failures.Add($"{at}:Url must use https (plain http is accepted for loopback only).");
            }

            if (!Enum.TryParse<NotificationFormat>(settings.Format, ignoreCase: true, out _) || int.TryParse(settings.Format, out _))
            {
                failures.Add($"{at}:Format '{settings.Format}' is not one of {string.Join(", ", Enum.GetNames<NotificationFormat>())}.");
            }

            if (settings.Events.Count == 0)
            {
                failures.Add($"{at}:Events names no event; use some of {string.Join(", ", Enum.GetNames<LifecycleEvent>())}.");
            }

            foreach (var unknown in settings.Events.Where(e => !Enum.GetNames<LifecycleEvent>().Contains(e, StringComparer.OrdinalIgnoreCase)))
            {
                failures.Add($"{at}:Events has '{unknown}', which is not one of {string.Join(", ", Enum.GetNames<LifecycleEvent>())}.");
            }

            foreach (var (header, value) in settings.Headers)
            {
                if (ReservedHeaders.Contains(header) || header.Any(c => c <= ' ' || c >= 127 || c == ':'))
                {
                    failures.Add($"{at}:Headers:{header} is not a header this channel may set.");
                }
                else if (string.IsNullOrEmpty(value) || value.Any(char.IsControl))
                {
                    // The value is a secret: say which header, never what it holds.
                    failures.Add($"{at}:Headers:{header} has an empty or invalid value.");
                }
            }

            if (settings.RequestTimeout <= TimeSpan.Zero || settings.RequestTimeout > TimeSpan.FromMinutes(1))
            {
                failures.Add($"{at}:RequestTimeout must be between 0 and 00:01:00.");
            }
        }

        var delivery = options.Delivery;
        if (delivery.MaxAttempts is < 1 or > 50)
        {
            failures.Add($"{NotificationOptions.DeliverySection}:MaxAttempts must be between 1 and 50.");
        }

        if (delivery.InitialBackoff <= TimeSpan.Zero || delivery.MaxBackoff < delivery.InitialBackoff)
        {
            failures.Add($"{NotificationOptions.DeliverySection}:InitialBackoff must be positive and at most MaxBackoff.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
