using System.Net;
using RollbackFunctions.Tests.Intake;
using RollbackFunctions.Tests.Trust;

namespace RollbackFunctions.Tests.Notifications;

/// <summary>Stale and Cooldown refusals at the intake tell the channels, once per key (API.md "Notifications").</summary>
public sealed class RefusedTriggerNotificationTests
{
    [Fact]
    public async Task A_Cooldown_alert_notifies_once_per_cooldown_and_a_Stale_one_once_per_trigger()
    {
        await using var sink = await ChatWebhookSink.StartAsync();
        await using var host = await IntakeTestHost.StartAsync(s => NotificationDeliveryTests.Channel(s, "ops", sink.Url("ops").AbsoluteUri, "Generic", "Stale", "Cooldown"));
        await TrustSequenceTests.ReleaseAsync(host, "1.0.0", 'a', "Deployed", "Verified");
        await TrustSequenceTests.ReleaseAsync(host, "1.1.0", 'b', "Deployed", "Verified");
        var first = await TrustSequenceTests.RollBackAsync(host, await TrustSequenceTests.AlertAsync(host, "notify-1", DateTimeOffset.UtcNow), expectedTarget: "1.0.0");
        var endedAt = (await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{first}"))).GetProperty("endedAt").GetDateTimeOffset();

        Assert.Equal(HttpStatusCode.OK, (await TrustSequenceTests.AlertAsync(host, "notify-2", endedAt.AddMinutes(2))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TrustSequenceTests.AlertAsync(host, "notify-3", endedAt.AddMinutes(3))).StatusCode);
        var stale = await TrustSequenceTests.AlertAsync(host, "notify-4", endedAt.AddMinutes(-2));
        Assert.Equal("Stale", (await IntakeTestHost.BodyAsync(stale)).GetProperty("outcome").GetString());
        await TrustSequenceTests.AlertAsync(host, "notify-4", endedAt.AddMinutes(-2));

        var cooldown = await sink.WaitForAcceptedAsync("/ops", $"{first}:Cooldown");
        Assert.Equal(("Cooldown", first), (cooldown.Body.GetProperty("event").GetString(), cooldown.Body.GetProperty("rollbackId").GetString()));
        var staleKey = $"{IntakeTestHost.Component}:{Payloads.AlertId("notify-4")}:Stale";
        var staleDelivery = await sink.WaitForAcceptedAsync("/ops", staleKey);
        Assert.Equal(staleKey, staleDelivery.Body.GetProperty("idempotencyKey").GetString());
        Assert.Equal("Stale", staleDelivery.Body.GetProperty("event").GetString());

        // The second Cooldown alert and the redelivered Stale one schedule nothing new.
        await Task.Delay(1000);
        Assert.Equal(2, sink.Requests.Count);
    }
}
