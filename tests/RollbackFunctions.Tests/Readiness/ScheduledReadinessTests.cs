using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RollbackFunctions.Drills;
using RollbackFunctions.Readiness;
using RollbackFunctions.Scheduling;
using RollbackFunctions.Tests.Drills;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Readiness;

/// <summary>The scheduled readiness check and the schedules (API.md "Readiness and drills"), on Azurite and the real engine.</summary>
public sealed class ScheduledReadinessTests
{
    [Fact]
    public async Task The_scheduled_check_reports_once_when_a_component_stops_being_ready_and_once_when_it_is_ready_again()
    {
        var notifications = new RecordingReadinessNotifications();
        await using var host = await DrillTests.StartAsync(notifications);
        await host.SeedReleasesAsync();
        var check = host.Services.GetRequiredService<ReadinessCheck>();

        // First pass: shop is ready (nothing to say); cart has no release at all, which is a loss of readiness.
        var first = await check.RunAsync(host.Client, CancellationToken.None);
        var cartLost = Assert.Single(first);
        Assert.Equal(("cart", false, null), (cartLost.Component, cartLost.Ready, cartLost.WasReady));
        Assert.StartsWith("CurrentReleaseKnown", cartLost.Reason, StringComparison.Ordinal);
        Assert.Empty(await check.RunAsync(host.Client, CancellationToken.None));

        await host.Components.FreezeAsync("shop", null, "drill of the readiness check");
        var lost = Assert.Single(await check.RunAsync(host.Client, CancellationToken.None));
        Assert.Equal(("shop", false, (bool?)true), (lost.Component, lost.Ready, lost.WasReady));
        Assert.StartsWith("NotFrozen", lost.Reason, StringComparison.Ordinal);
        Assert.Empty(await check.RunAsync(host.Client, CancellationToken.None));
        Assert.Empty(await check.RunAsync(host.Client, CancellationToken.None));

        await host.Components.UnfreezeAsync("shop", "lead@example.test", "INC-1", "analysed");
        var back = Assert.Single(await check.RunAsync(host.Client, CancellationToken.None));
        Assert.Equal(("shop", true, (bool?)false, (string?)null), (back.Component, back.Ready, back.WasReady, back.Reason));
        Assert.Empty(await check.RunAsync(host.Client, CancellationToken.None));

        // Exactly those three, through the seam, with distinct keys.
        Assert.Equal([cartLost, lost, back], notifications.Changes);
        Assert.Equal(3, notifications.Changes.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public async Task A_schedule_occurrence_runs_once_its_drills_and_its_readiness_check()
    {
        var notifications = new RecordingReadinessNotifications();
        await using var host = await IntakeTestHostWithSchedules(notifications);
        await host.SeedReleasesAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 30, TimeSpan.Zero));
        var work = new ScheduledWork(
            host.Services.GetRequiredService<IOptionsMonitor<ScheduleOptions>>(), host.Services.GetRequiredService<ScheduleClaims>(),
            host.Services.GetRequiredService<DrillStarter>(), host.Services.GetRequiredService<ReadinessCheck>(), clock, NullLogger<ScheduledWork>.Instance);

        // 01:00 fell due 30 s ago: one drill of shop (the one component with a drill environment), one check.
        await work.RunDueAsync(host.Client, CancellationToken.None);
        await work.RunDueAsync(host.Client, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(20));
        await work.RunDueAsync(host.Client, CancellationToken.None);

        var listed = await WaitForDrillsAsync(host, 1);
        Assert.Equal(DrillStarter.ScheduleRequester, listed[0].GetProperty("trigger").GetProperty("requestedBy").GetString());
        Assert.Single(notifications.Changes, c => c.Component == "cart");

        // The next occurrence (01:05) runs again.
        clock.Advance(TimeSpan.FromMinutes(4.5));
        await work.RunDueAsync(host.Client, CancellationToken.None);
        Assert.Equal(2, (await WaitForDrillsAsync(host, 2)).Count);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("*/5 * * * *", true)]
    [InlineData("0 */10 * * * *", true)]
    [InlineData("every five minutes", false)]
    [InlineData("61 * * * *", false)]
    public void Schedules_are_cron_expressions_or_empty(string schedule, bool valid)
    {
        var result = new ScheduleOptionsValidator().Validate(ScheduleOptions.DrillsSection, new ScheduleOptions { Schedule = schedule });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Rollback:Drills:Schedule", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_host_with_an_invalid_schedule_does_not_start()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await IntakeTestHost.StartAsync(settings => settings["Rollback:Readiness:Schedule"] = "now and then");
        });
        Assert.Contains("Rollback:Readiness:Schedule", failure.Message, StringComparison.Ordinal);
    }

    private static Task<IntakeTestHost> IntakeTestHostWithSchedules(RecordingReadinessNotifications notifications) => DrillTests.StartAsync(notifications, settings =>
    {
        settings["Rollback:Drills:Schedule"] = "*/5 * * * *";
        settings["Rollback:Readiness:Schedule"] = "*/5 * * * *";
    });

    private static async Task<List<JsonElement>> WaitForDrillsAsync(IntakeTestHost host, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        List<JsonElement> drills = [];
        while (DateTime.UtcNow < until)
        {
            var body = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/drills?component=shop"));
            drills = [.. body.GetProperty("drills").EnumerateArray()];
            if (drills.Count >= count)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(count, drills.Count);
        return drills;
    }
}
