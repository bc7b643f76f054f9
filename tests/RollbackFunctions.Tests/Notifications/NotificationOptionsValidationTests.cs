using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackFunctions.Domain;
using RollbackFunctions.Notifications;
using RollbackFunctions.Trust;

namespace RollbackFunctions.Tests.Notifications;

/// <summary>Notification settings are checked at start, and the keys of the refused-trigger events are stable.</summary>
public sealed class NotificationOptionsValidationTests
{
    [Theory]
    [InlineData("https://example.webhook.office.com/workflows/abc", "Teams", "Started", null)]
    [InlineData("http://127.0.0.1:5000/hook", "Slack", "Ended", null)]
    [InlineData("http://localhost:5000/hook", "generic", "awaitingconfirmation", null)]
    [InlineData("http://hooks.example.test/hook", "Generic", "Started", "must use https")]
    [InlineData("/relative/hook", "Generic", "Started", "absolute http(s) URL")]
    [InlineData("ftp://hooks.example.test/hook", "Generic", "Started", "absolute http(s) URL")]
    [InlineData("https://hooks.example.test/hook", "Discord", "Started", "Format 'Discord' is not one of Generic, Teams, Slack")]
    [InlineData("https://hooks.example.test/hook", "1", "Started", "Format '1'")]
    [InlineData("https://hooks.example.test/hook", "Generic", "Finished", "Events has 'Finished'")]
    public void Channel_settings_are_validated(string url, string format, string lifecycleEvent, string? error)
    {
        var settings = new Dictionary<string, string?>();
        NotificationDeliveryTests.Channel(settings, "ops", url, format, lifecycleEvent);

        var result = Validate(settings);

        if (error is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.True(result.Failed);
            Assert.Contains(error, result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("Rollback:Notifications:ops", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_channel_without_events_an_invalid_header_or_bad_retries_is_refused_without_naming_a_secret()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Rollback:Notifications:ops:Url"] = "https://hooks.example.test/hook",
            ["Rollback:Notifications:ops:Headers:Idempotency-Key"] = "mine",
            ["Rollback:Notifications:ops:Headers:X-Secret"] = "s3cret\u0001value",
            ["Rollback:NotificationDelivery:MaxAttempts"] = "0",
        };

        var result = Validate(settings);

        Assert.True(result.Failed);
        Assert.Contains("Events names no event", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Headers:Idempotency-Key is not a header this channel may set", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Headers:X-Secret has an empty or invalid value", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts must be between 1 and 50", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Stale_is_keyed_by_component_and_trigger_and_Cooldown_by_the_rollback_it_follows()
    {
        var at = DateTimeOffset.UtcNow;
        var stale = LifecycleNotifications.Refused(new TriggerRefusal(AdmissionOutcome.Stale, "shop", TriggerSource.AzureMonitorAlert, "alert-1", at, "older evidence", null), at);
        var cooldown = LifecycleNotifications.Refused(new TriggerRefusal(AdmissionOutcome.Cooldown, "shop", TriggerSource.AzureMonitorAlert, "alert-2", at, "still unhealthy", "shop-20261202-ab"), at);

        Assert.Equal("shop:alert-1:Stale", stale.IdempotencyKey);
        Assert.Equal("shop-20261202-ab:Cooldown", cooldown.IdempotencyKey);
        Assert.Equal("shop-20261202-ab", cooldown.AuditId);
        Assert.NotEqual(NotificationScheduler.InstanceId("a/b:Stale"), NotificationScheduler.InstanceId("a?b:Stale"));
        Assert.DoesNotContain('/', NotificationScheduler.InstanceId("/subscriptions/x/alerts/1:Stale"));
    }

    private static ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddRollbackNotifications(configuration).BuildServiceProvider();
        try
        {
            // The options as the host resolves them (and ValidateOnStart checks them at start).
            _ = services.GetRequiredService<IOptionsMonitor<NotificationOptions>>().CurrentValue;
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Failures);
        }
    }
}
