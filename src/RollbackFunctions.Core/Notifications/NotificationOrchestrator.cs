using RollbackFunctions.Workflow.Stages;

namespace RollbackFunctions.Notifications;

/// <summary>
/// Delivers one notification (one idempotency key) to every channel subscribed when it was scheduled, side by side:
/// each channel is attempted until it accepts, with the wait between attempts on a durable timer (doubling, capped),
/// and a delivery that still fails after its attempts is recorded in the audit. The instance id is the key's
/// (<see cref="NotificationScheduler.InstanceId"/>), so the key is delivered by one orchestration only.
/// </summary>
public sealed class NotificationOrchestrator : TaskOrchestrator<NotificationDeliveryInput, NotificationDeliveryResult>
{
    public override async Task<NotificationDeliveryResult> RunAsync(TaskOrchestrationContext context, NotificationDeliveryInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var outcomes = await Task.WhenAll(input.Channels.Select(channel => DeliverAsync(context, input, channel))).ConfigureAwait(true);
        return new NotificationDeliveryResult(input.Notification.IdempotencyKey, outcomes);
    }

    private static async Task<ChannelDeliveryOutcome> DeliverAsync(TaskOrchestrationContext context, NotificationDeliveryInput input, string channel)
    {
        var notification = input.Notification;
        var backoff = input.InitialBackoff;
        var attempts = 0;
        string? error = null;
        while (attempts < Math.Max(1, input.MaxAttempts))
        {
            attempts++;
            ChannelAttemptResult result;
            try
            {
                result = await context.CallActivityAsync<ChannelAttemptResult>(nameof(DeliverNotificationActivity), new ChannelAttemptInput(notification, channel, attempts)).ConfigureAwait(true);
            }
            catch (TaskFailedException ex)
            {
                result = new ChannelAttemptResult(false, null, ex.FailureDetails.ErrorMessage);
            }

            if (result.Delivered)
            {
                return new ChannelDeliveryOutcome(channel, true, attempts, null);
            }

            error = result.Error;
            if (result.Permanent)
            {
                break;
            }

            if (attempts < input.MaxAttempts)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + backoff, CancellationToken.None).ConfigureAwait(true);
                backoff = backoff + backoff < input.MaxBackoff ? backoff + backoff : input.MaxBackoff;
            }
        }

        await context.CallActivityAsync<bool>(nameof(RecordNotificationFailureActivity), new NotificationFailure(
            notification.AuditId ?? notification.Subject, notification.IdempotencyKey, notification.Event, channel, attempts, error,
            new DateTimeOffset(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc))), StageCalls.TransientRetry).ConfigureAwait(true);
        NotificationLog.Undeliverable(context.CreateReplaySafeLogger<NotificationOrchestrator>(), notification.IdempotencyKey, channel, attempts, error);
        return new ChannelDeliveryOutcome(channel, false, attempts, error);
    }
}
