using System.Text.Json.Nodes;

namespace RollbackFunctions.Notifications;

/// <summary>
/// <c>Teams</c>: a message with one Adaptive Card (1.4), the shape a Teams Workflows webhook posts to a channel. GET
/// links are buttons (<c>Action.OpenUrl</c>); a POST link such as the confirm link cannot be a browser button, so it
/// is shown as a fact with its method.
/// </summary>
public sealed class TeamsFormatter : INotificationFormatter
{
    public NotificationFormat Format => NotificationFormat.Teams;

    public JsonObject Render(LifecycleNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var facts = notification.Facts.Select(f => (f.Name, f.Value))
            .Concat(notification.Links.Where(l => l.Method != "GET").Select(l => (l.Name, $"{l.Method} {l.Href}")))
            .Append(("Idempotency key", notification.IdempotencyKey));
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["size"] = "Medium", ["weight"] = "Bolder", ["text"] = notification.Title, ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = notification.Text, ["wrap"] = true },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray([.. facts.Select(f => new JsonObject { ["title"] = f.Item1, ["value"] = f.Item2 })]),
                }),
            ["actions"] = new JsonArray([.. notification.Links.Where(l => l.Method == "GET")
                .Select(l => new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = l.Name, ["url"] = l.Href })]),
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }
}
