using System.Text.Json.Nodes;

namespace RollbackFunctions.Notifications;

/// <summary>
/// <c>Slack</c>: an incoming-webhook message, <c>text</c> (the notification fallback) and Block Kit <c>blocks</c>: a
/// header, the text, the facts as section fields (Slack takes at most 10), GET links as buttons, and a context line
/// with the idempotency key and any POST link.
/// </summary>
public sealed class SlackFormatter : INotificationFormatter
{
    private const int MaxFields = 10;
    private const int MaxHeader = 150;

    public NotificationFormat Format => NotificationFormat.Slack;

    public JsonObject Render(LifecycleNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var title = notification.Title.Length <= MaxHeader ? notification.Title : notification.Title[..(MaxHeader - 1)] + "…";
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "header", ["text"] = PlainText(title) },
            new JsonObject { ["type"] = "section", ["text"] = Markdown(Escape(notification.Text)) });
        if (notification.Facts.Count > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray([.. notification.Facts.Take(MaxFields).Select(f => Markdown($"*{Escape(f.Name)}*\n{Escape(f.Value)}"))]),
            });
        }

        var buttons = notification.Links.Where(l => l.Method == "GET").ToList();
        if (buttons.Count > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray([.. buttons.Select(l => new JsonObject { ["type"] = "button", ["text"] = PlainText(l.Name), ["url"] = l.Href })]),
            });
        }

        var context = notification.Links.Where(l => l.Method != "GET").Select(l => Markdown($"{Escape(l.Name)}: `{l.Method} {l.Href}`"))
            .Append(Markdown($"Idempotency key `{notification.IdempotencyKey}`"));
        blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray([.. context]) });
        return new JsonObject { ["text"] = $"{notification.Title}: {notification.Text}", ["blocks"] = blocks };
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = false };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    /// <summary>Slack's three control characters in mrkdwn.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
