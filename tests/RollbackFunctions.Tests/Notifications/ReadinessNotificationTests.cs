using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Readiness;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Drills;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Notifications;

/// <summary>
/// API.md "Notifications" for readiness and drills: a failed drill sends <c>DrillEnded</c> and <c>ReadinessLost</c>,
/// a scheduled check that sees readiness lost sends <c>ReadinessLost</c> once, to a real channel on loopback.
/// </summary>
public sealed class ReadinessNotificationTests
{
    [Fact]
    public async Task A_failed_drill_sends_DrillEnded_and_ReadinessLost_and_a_lost_readiness_is_sent_once()
    {
        await using var sink = await ChatWebhookSink.StartAsync();
        await using var host = await IntakeTestHost.StartAsync(settings =>
        {
            DrillTests.AddDrillEnvironment(settings);
            NotificationDeliveryTests.Channel(settings, "ops", sink.Url("ops").AbsoluteUri, "Generic", "DrillEnded", "ReadinessLost");
        });
        await host.SeedReleasesAsync();
        host.Api.ScriptFor("shop", DeploymentScript.Fail("drill environment broken"));

        var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/drills", new { component = "shop" }));
        var drillId = accepted.GetProperty("drillId").GetString()!;
        await DrillTests.WaitForDrillEndAsync(host, drillId);

        var ended = await sink.WaitForAcceptedAsync("/ops", $"{drillId}:DrillEnded");
        Assert.Equal("DrillEnded", ended.Body.GetProperty("event").GetString());
        Assert.Contains("Failed", ended.Body.ToString(), StringComparison.Ordinal);
        var lostByDrill = await sink.WaitForAcceptedAsync("/ops", $"{drillId}:ReadinessLost");
        Assert.Equal("ReadinessLost", lostByDrill.Body.GetProperty("event").GetString());

        // The scheduled check: shop frozen is a loss of readiness, told once however often the check runs.
        var check = host.Services.GetRequiredService<ReadinessCheck>();
        await check.RunAsync(host.Client, CancellationToken.None);
        var before = sink.Requests.Count;
        await host.Components.FreezeAsync("shop", null, "readiness notification test");
        var change = Assert.Single(await check.RunAsync(host.Client, CancellationToken.None), c => c.Component == "shop");
        Assert.Empty(await check.RunAsync(host.Client, CancellationToken.None));
        var lost = await sink.WaitForAcceptedAsync("/ops", $"readiness:{change.Key}:ReadinessLost");
        Assert.Contains("NotFrozen", lost.Body.ToString(), StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Single(sink.Requests.Skip(before), r => r.IdempotencyKey!.EndsWith(":ReadinessLost", StringComparison.Ordinal) && r.IdempotencyKey.Contains("shop", StringComparison.Ordinal));
    }
}
