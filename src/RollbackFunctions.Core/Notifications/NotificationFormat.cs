namespace RollbackFunctions.Notifications;

/// <summary>The shape a channel receives; each has one <see cref="INotificationFormatter"/>.</summary>
public enum NotificationFormat
{
    /// <summary>A flat JSON document with the idempotency key, for any receiver.</summary>
    Generic,

    /// <summary>An Adaptive Card message for a Teams Workflows ("When a Teams webhook request is received") webhook.</summary>
    Teams,

    /// <summary>A Slack incoming-webhook message with Block Kit blocks.</summary>
    Slack,
}
