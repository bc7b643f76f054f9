using System.Security.Cryptography;
using System.Text;

namespace RollbackFunctions.Notifications;

/// <summary>What <see cref="NotificationScheduler.ScheduleAsync"/> did.</summary>
public enum NotificationScheduleOutcome
{
    /// <summary>No channel subscribes to the event: nothing was scheduled (and nothing was read or written).</summary>
    NotSubscribed,

    Scheduled,

    /// <summary>The key was scheduled before: this is a repeat, and a no-op.</summary>
    AlreadyScheduled,

    /// <summary>The durable engine could not be reached; logged, never thrown (a notification never fails its caller).</summary>
    Failed,
}

/// <summary>
/// The one entry point for sending a lifecycle notification from outside an orchestrator (the starter, the intake,
/// readiness checks, drills): schedules a <see cref="NotificationOrchestrator"/> whose instance id is derived from the
/// idempotency key, so a second schedule of the same key is a no-op and each key is delivered at least once (retried
/// on durable timers). The workflow uses <see cref="ScheduleNotificationsActivity"/>, which calls this.
/// </summary>
public sealed class NotificationScheduler(IOptionsMonitor<NotificationOptions> options, ILogger<NotificationScheduler> logger)
{
    private const int MaxReadableKey = 80;

    /// <summary>The events some channel subscribes to now (the starter copies them into the rollback's policy).</summary>
    public IReadOnlyList<LifecycleEvent> SubscribedEvents => options.CurrentValue.SubscribedEvents();

    /// <summary>The orchestration instance of a key: readable, valid as an instance id on every backend, one per key.</summary>
    public static string InstanceId(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var readable = new string([.. idempotencyKey.Take(MaxReadableKey).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' ? c : '_')]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..12];
        return $"notify-{readable}-{hash}";
    }

    public async Task<NotificationScheduleOutcome> ScheduleAsync(DurableTaskClient client, LifecycleNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(notification);
        var current = options.CurrentValue;
        var channels = current.ChannelsFor(notification.Event);
        if (channels.Count == 0)
        {
            return NotificationScheduleOutcome.NotSubscribed;
        }

        var key = notification.IdempotencyKey;
        var instanceId = InstanceId(key);
        var delivery = current.Delivery;
        try
        {
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
            {
                NotificationLog.AlreadyScheduled(logger, key);
                return NotificationScheduleOutcome.AlreadyScheduled;
            }

            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(NotificationOrchestrator),
                new NotificationDeliveryInput(notification, channels, delivery.MaxAttempts, delivery.InitialBackoff, delivery.MaxBackoff),
                new StartOrchestrationOptions(instanceId),
                cancellationToken).ConfigureAwait(false);
            NotificationLog.Scheduled(logger, key, string.Join(", ", channels));
            return NotificationScheduleOutcome.Scheduled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A concurrent schedule of the same key wins the instance id: that is the no-op, not a failure.
            if (await ExistsAsync(client, instanceId).ConfigureAwait(false))
            {
                NotificationLog.AlreadyScheduled(logger, key);
                return NotificationScheduleOutcome.AlreadyScheduled;
            }

            NotificationLog.ScheduleFailed(logger, ex, key);
            return NotificationScheduleOutcome.Failed;
        }
    }

    private static async Task<bool> ExistsAsync(DurableTaskClient client, string instanceId)
    {
        try
        {
            return await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, CancellationToken.None).ConfigureAwait(false) is not null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }
}
