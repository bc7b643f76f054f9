namespace RollbackFunctions.Notifications;

/// <summary>
/// <c>Rollback:Notifications:{name}</c>: the channels, by name, and <c>Rollback:NotificationDelivery</c>: how hard a
/// delivery is tried. Validated at start (<see cref="NotificationOptionsValidator"/>).
/// </summary>
public sealed class NotificationOptions
{
    public const string ChannelsSection = "Rollback:Notifications";
    public const string DeliverySection = "Rollback:NotificationDelivery";

    public Dictionary<string, NotificationChannelOptions> Channels { get; } = new(StringComparer.Ordinal);

    public NotificationDeliveryOptions Delivery { get; set; } = new();

    /// <summary>The channels subscribed to <paramref name="lifecycleEvent"/>, by name, in name order.</summary>
    public IReadOnlyList<string> ChannelsFor(LifecycleEvent lifecycleEvent) =>
        [.. Channels.Where(c => c.Value.Subscribes(lifecycleEvent)).Select(c => c.Key).Order(StringComparer.Ordinal)];

    /// <summary>Every event at least one channel subscribes to.</summary>
    public IReadOnlyList<LifecycleEvent> SubscribedEvents() =>
        [.. Enum.GetValues<LifecycleEvent>().Where(e => Channels.Values.Any(c => c.Subscribes(e)))];
}

/// <summary>One channel: where it posts, in which shape, which events, and static headers (secrets: never logged).</summary>
public sealed class NotificationChannelOptions
{
    /// <summary>The webhook; https, or http only to loopback.</summary>
    public Uri? Url { get; set; }

    /// <summary><see cref="NotificationFormat"/> by name: <c>Generic</c>, <c>Teams</c> or <c>Slack</c>.</summary>
    public string Format { get; set; } = nameof(NotificationFormat.Generic);

    /// <summary><see cref="LifecycleEvent"/> names this channel receives.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Headers sent with every delivery (for example a shared secret). Values are secrets: never logged.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public NotificationFormat ParsedFormat => Enum.Parse<NotificationFormat>(Format, ignoreCase: true);

    public bool Subscribes(LifecycleEvent lifecycleEvent) =>
        Events.Any(e => string.Equals(e, lifecycleEvent.ToString(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Retries of one delivery, on durable timers: the wait doubles from <see cref="InitialBackoff"/> up to <see cref="MaxBackoff"/>.</summary>
public sealed class NotificationDeliveryOptions
{
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
