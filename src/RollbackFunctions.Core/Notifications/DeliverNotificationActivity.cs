namespace RollbackFunctions.Notifications;

/// <summary>One attempt to deliver a notification to one channel; failures come back as results for the orchestrator to retry.</summary>
public sealed class DeliverNotificationActivity(NotificationSender sender) : TaskActivity<ChannelAttemptInput, ChannelAttemptResult>
{
    public override Task<ChannelAttemptResult> RunAsync(TaskActivityContext context, ChannelAttemptInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return sender.SendAsync(input.Notification, input.Channel, input.Attempt, CancellationToken.None);
    }
}
