using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;
using RollbackFunctions.Notifications;
using RollbackFunctions.Tests.Deployment.Fakes;
using RollbackFunctions.Tests.Workflow;

namespace RollbackFunctions.Tests.Notifications;

/// <summary>API.md "Notifications": lifecycle events delivered to a loopback chat webhook by the real engine.</summary>
public sealed class NotificationDeliveryTests
{
    private const string PublicBase = "https://rollback.example.test/";

    [Fact]
    public async Task Each_format_receives_its_shape_with_the_idempotency_key_and_AwaitingConfirmation_arrives_before_the_window_closes()
    {
        await using var sink = await ChatWebhookSink.StartAsync();
        await using var h = await WorkflowHarness.StartAsync(s =>
        {
            s["Rollback:PublicBaseUrl"] = PublicBase;
            foreach (var (name, format) in new[] { ("ops", "Generic"), ("teams", "Teams"), ("slack", "Slack") })
            {
                Channel(s, name, sink.Url(name).AbsoluteUri, format, "Started", "AwaitingConfirmation", "Ended");
            }
        });
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var awaiting = await sink.WaitForAcceptedAsync("/ops", $"{id}:AwaitingConfirmation");
        var teams = await sink.WaitForAcceptedAsync("/teams", $"{id}:AwaitingConfirmation");
        var slack = await sink.WaitForAcceptedAsync("/slack", $"{id}:AwaitingConfirmation");

        // Sent while the rollback waits, and before the window's end that it announces.
        Assert.False((await h.Client.GetInstanceAsync(id))!.IsCompleted);
        var generic = awaiting.Body;
        var windowEnds = DateTimeOffset.Parse(generic.GetProperty("facts").GetProperty("Window ends").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(awaiting.At < windowEnds, $"delivered {awaiting.At:O}, window ends {windowEnds:O}");
        Assert.InRange(windowEnds - awaiting.At, TimeSpan.Zero, TimeSpan.FromSeconds(10));

        // Generic: flat JSON, the key in the body as in the header, absolute links (the confirm link is a POST).
        Assert.Equal("application/json; charset=utf-8", awaiting.Headers["Content-Type"]);
        Assert.Equal($"{id}:AwaitingConfirmation", generic.GetProperty("idempotencyKey").GetString());
        Assert.Equal(("AwaitingConfirmation", id, WorkflowHarness.Component), (generic.GetProperty("event").GetString(), generic.GetProperty("rollbackId").GetString(), generic.GetProperty("component").GetString()));
        Assert.Equal("1.1.0", generic.GetProperty("facts").GetProperty("To").GetString());
        var links = generic.GetProperty("links").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => (l.GetProperty("href").GetString(), l.GetProperty("method").GetString()));
        Assert.Equal(($"{PublicBase}api/rollbacks/{id}/confirm", "POST"), links["Confirm"]);
        Assert.Equal(($"{PublicBase}api/rollbacks/{id}", "GET"), links["Status"]);

        // Teams: a message with one Adaptive Card 1.4: title, text, facts (with the confirm link), a button to the status.
        Assert.Equal("message", teams.Body.GetProperty("type").GetString());
        var attachment = Assert.Single(teams.Body.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal(["TextBlock", "TextBlock", "FactSet"], body.Select(b => b.GetProperty("type").GetString()));
        Assert.Contains("Confirm the rollback of shop", body[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var facts = body[2].GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal($"POST {PublicBase}api/rollbacks/{id}/confirm", facts["Confirm"]);
        Assert.Equal($"{id}:AwaitingConfirmation", facts["Idempotency key"]);
        Assert.Equal(windowEnds, DateTimeOffset.Parse(facts["Window ends"]!, CultureInfo.InvariantCulture));
        var action = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal(("Action.OpenUrl", $"{PublicBase}api/rollbacks/{id}"), (action.GetProperty("type").GetString(), action.GetProperty("url").GetString()));
        Assert.Equal($"{id}:AwaitingConfirmation", teams.IdempotencyKey);

        // Slack: fallback text and Block Kit blocks: header, text, fields, a status button, a context with key and confirm link.
        Assert.Contains("Confirm the rollback of shop", slack.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        var blocks = slack.Body.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["header", "section", "section", "actions", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Contains(blocks[2].GetProperty("fields").EnumerateArray(), f => f.GetProperty("text").GetString() == "*To*\n1.1.0");
        var button = Assert.Single(blocks[3].GetProperty("elements").EnumerateArray());
        Assert.Equal(("button", $"{PublicBase}api/rollbacks/{id}"), (button.GetProperty("type").GetString(), button.GetProperty("url").GetString()));
        var context = string.Join(" ", blocks[4].GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("text").GetString()));
        Assert.Contains($"`{id}:AwaitingConfirmation`", context, StringComparison.Ordinal);
        Assert.Contains($"POST {PublicBase}api/rollbacks/{id}/confirm", context, StringComparison.Ordinal);
        Assert.Equal($"{id}:AwaitingConfirmation", slack.IdempotencyKey);

        // Started came first; Ended after the confirmation, with outcome and R.
        var started = await sink.WaitForAcceptedAsync("/ops", $"{id}:Started");
        Assert.True(started.At <= awaiting.At);
        await h.ConfirmAsync(id);
        Assert.Equal(RollbackPhase.Succeeded, (await h.WaitForEndAsync(id)).Outcome);
        var ended = (await sink.WaitForAcceptedAsync("/ops", $"{id}:Ended")).Body;
        Assert.Equal("Succeeded", ended.GetProperty("facts").GetProperty("Outcome").GetString());
        Assert.EndsWith(" s", ended.GetProperty("facts").GetProperty("R").GetString(), StringComparison.Ordinal);
        await sink.WaitForAcceptedAsync("/teams", $"{id}:Ended");
        await sink.WaitForAcceptedAsync("/slack", $"{id}:Ended");

        // At least once, and here exactly once: one delivery per key and channel, none for an event nobody subscribed to.
        Assert.All(sink.Requests.GroupBy(r => (r.Path, r.IdempotencyKey)), g => Assert.Single(g));
        Assert.Equal(9, sink.Requests.Count);
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_on_durable_timers_until_it_succeeds_and_a_second_schedule_of_the_key_is_a_no_op()
    {
        await using var sink = await ChatWebhookSink.StartAsync();
        await using var h = await WorkflowHarness.StartAsync(s =>
        {
            Channel(s, "ops", sink.Url("ops").AbsoluteUri, "Generic", "ReadinessLost");
            s["Rollback:NotificationDelivery:MaxAttempts"] = "5";
            s["Rollback:NotificationDelivery:InitialBackoff"] = "00:00:00.500";
        });
        sink.FailFirst(2);
        var scheduler = h.Services.GetRequiredService<NotificationScheduler>();
        var lost = LifecycleNotifications.Create(LifecycleEvent.ReadinessLost, "readiness:shop:3", "shop", "shop is not ready for a rollback", "No Verified release before 1.2.0.", DateTimeOffset.UtcNow);

        Assert.Equal(NotificationScheduleOutcome.Scheduled, await scheduler.ScheduleAsync(h.Client, lost));
        Assert.Equal(NotificationScheduleOutcome.AlreadyScheduled, await scheduler.ScheduleAsync(h.Client, lost));
        var delivered = await sink.WaitForAcceptedAsync("/ops", "readiness:shop:3:ReadinessLost");
        var result = await WaitForDeliveryAsync(h.Client, lost);

        Assert.Equal("readiness:shop:3:ReadinessLost", delivered.Body.GetProperty("idempotencyKey").GetString());
        var attempts = sink.At("/ops");
        Assert.Equal([false, false, true], attempts.Select(a => a.Accepted));
        Assert.All(attempts, a => Assert.Equal("readiness:shop:3:ReadinessLost", a.IdempotencyKey));

        // The waits are durable timers of 0.5 s, then 1 s: the attempts are spaced by them.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(450), $"{attempts[0].At:O} -> {attempts[1].At:O}");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(950), $"{attempts[1].At:O} -> {attempts[2].At:O}");
        Assert.Equal(new ChannelDeliveryOutcome("ops", true, 3, null), Assert.Single(result.Channels));
        Assert.Equal(NotificationScheduleOutcome.AlreadyScheduled, await scheduler.ScheduleAsync(h.Client, lost));
        await Task.Delay(500);
        Assert.Equal(3, sink.Requests.Count);
        Assert.Empty(await h.Audit.ListNotificationFailuresAsync("readiness:shop:3"));
    }

    [Fact]
    public async Task A_delivery_that_never_succeeds_is_recorded_in_the_audit_and_a_secret_header_is_sent_but_never_logged()
    {
        const string secret = "hdr-secret-6b1f0e2a9c";
        const string urlSecret = "sig-secret-0d9c41ee";
        await using var sink = await ChatWebhookSink.StartAsync();
        var logs = new CapturingLoggerProvider();
        await using var h = await WorkflowHarness.StartAsync(
            s =>
            {
                Channel(s, "ops", sink.Url("ops").AbsoluteUri + "?sig=" + urlSecret, "Generic", "DrillEnded");
                s["Rollback:Notifications:ops:Headers:X-Webhook-Secret"] = secret;
                s["Rollback:NotificationDelivery:MaxAttempts"] = "3";
                s["Rollback:NotificationDelivery:InitialBackoff"] = "00:00:00.200";
            },
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        sink.FailAll = true;
        var drill = LifecycleNotifications.Create(LifecycleEvent.DrillEnded, "drill-shop-0001", "shop", "Drill of shop ended Succeeded", "R = 41 s", DateTimeOffset.UtcNow, auditId: "drill-shop-0001");

        await h.Services.GetRequiredService<NotificationScheduler>().ScheduleAsync(h.Client, drill);
        var result = await WaitForDeliveryAsync(h.Client, drill);

        Assert.Equal(new ChannelDeliveryOutcome("ops", false, 3, "The channel answered 503 Service Unavailable."), Assert.Single(result.Channels));
        Assert.Equal(3, sink.Requests.Count);
        Assert.All(sink.Requests, r => Assert.Equal(secret, r.Headers["X-Webhook-Secret"]));
        var failure = Assert.Single(await h.Audit.ListNotificationFailuresAsync("drill-shop-0001"));
        Assert.Equal(("drill-shop-0001:DrillEnded", LifecycleEvent.DrillEnded, "ops", 3), (failure.IdempotencyKey, failure.Event, failure.Channel, failure.Attempts));
        Assert.Contains("503", failure.Error, StringComparison.Ordinal);

        // Every attempt and the give-up were logged, by channel and key; neither secret was.
        var logged = logs.All;
        Assert.Contains("drill-shop-0001:DrillEnded to ops failed (attempt 3)", logged, StringComparison.Ordinal);
        Assert.Contains("NOT delivered after 3 attempt(s)", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(urlSecret, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undelivered_Ended_notification_shows_in_the_rollbacks_audit()
    {
        await using var sink = await ChatWebhookSink.StartAsync();
        await using var h = await WorkflowHarness.StartAsync(s =>
        {
            Channel(s, "ops", sink.Url("ops").AbsoluteUri, "Slack", "Ended", "Escalated");
            s["Rollback:NotificationDelivery:MaxAttempts"] = "2";
            s["Rollback:NotificationDelivery:InitialBackoff"] = "00:00:00.200";
            s["Rollback:ConfirmationWindow"] = "00:00:01";
        });
        await h.SeedStandardReleasesAsync();
        sink.FailAll = true;

        var id = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Unconfirmed, (await h.WaitForEndAsync(id)).Outcome);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        IReadOnlyList<NotificationFailure> failures = [];
        while (failures.Count < 2 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
            failures = await h.Audit.ListNotificationFailuresAsync(id);
        }

        Assert.Equal([$"{id}:Ended", $"{id}:Escalated"], failures.Select(f => f.IdempotencyKey).Order(StringComparer.Ordinal));
        Assert.All(failures, f => Assert.Equal(2, f.Attempts));
        Assert.Equal(4, sink.Requests.Count);
        var escalated = sink.Requests.First(r => r.IdempotencyKey == $"{id}:Escalated").Body;
        Assert.Contains("escalated (Unconfirmed)", escalated.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    internal static void Channel(Dictionary<string, string?> settings, string name, string url, string format, params string[] events)
    {
        settings[$"Rollback:Notifications:{name}:Url"] = url;
        settings[$"Rollback:Notifications:{name}:Format"] = format;
        for (var i = 0; i < events.Length; i++)
        {
            settings[$"Rollback:Notifications:{name}:Events:{i}"] = events[i];
        }
    }

    private static async Task<NotificationDeliveryResult> WaitForDeliveryAsync(DurableTaskClient client, LifecycleNotification notification)
    {
        var instanceId = NotificationScheduler.InstanceId(notification.IdempotencyKey);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < until)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (instance is { IsCompleted: true })
            {
                Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instance.RuntimeStatus}: {instance.FailureDetails}");
                return instance.ReadOutputAs<NotificationDeliveryResult>()!;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"notification {notification.IdempotencyKey} was not settled in time");
    }
}
