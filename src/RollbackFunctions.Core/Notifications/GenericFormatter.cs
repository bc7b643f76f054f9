using System.Text.Json.Nodes;

namespace RollbackFunctions.Notifications;

/// <summary><c>Generic</c>: the notification as flat JSON, with the idempotency key in the body as well as the header.</summary>
public sealed class GenericFormatter : INotificationFormatter
{
    public NotificationFormat Format => NotificationFormat.Generic;

    public JsonObject Render(LifecycleNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var facts = new JsonObject();
        foreach (var fact in notification.Facts)
        {
            facts[fact.Name] = fact.Value;
        }

        return new JsonObject
        {
            ["idempotencyKey"] = notification.IdempotencyKey,
            ["event"] = notification.Event.ToString(),
            ["subject"] = notification.Subject,
            ["rollbackId"] = notification.RollbackId,
            ["component"] = notification.Component,
            ["title"] = notification.Title,
            ["text"] = notification.Text,
            ["occurredAt"] = notification.OccurredAt,
            ["facts"] = facts,
            ["links"] = new JsonArray([.. notification.Links.Select(l => new JsonObject { ["name"] = l.Name, ["href"] = l.Href, ["method"] = l.Method })]),
        };
    }
}
