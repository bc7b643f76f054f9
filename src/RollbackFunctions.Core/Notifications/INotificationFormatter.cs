using System.Text.Json.Nodes;

namespace RollbackFunctions.Notifications;

/// <summary>Renders a notification for one kind of channel. A new channel kind is one more formatter.</summary>
public interface INotificationFormatter
{
    NotificationFormat Format { get; }

    /// <param name="notification">With its links already absolute where the app's public address is known.</param>
    JsonObject Render(LifecycleNotification notification);
}
