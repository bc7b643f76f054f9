using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Notifications;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>The notification activities under the names the notification orchestrator calls.</summary>
public static class NotificationFunctions
{
    [Function(nameof(DeliverNotificationActivity))]
    public static Task<ChannelAttemptResult> DeliverNotification([ActivityTrigger] ChannelAttemptInput input, FunctionContext context) =>
        RollbackActivityFunctions.Run<DeliverNotificationActivity, ChannelAttemptInput, ChannelAttemptResult>(nameof(DeliverNotificationActivity), input, context);

    [Function(nameof(RecordNotificationFailureActivity))]
    public static Task<bool> RecordNotificationFailure([ActivityTrigger] NotificationFailure input, FunctionContext context) =>
        RollbackActivityFunctions.Run<RecordNotificationFailureActivity, NotificationFailure, bool>(nameof(RecordNotificationFailureActivity), input, context);

    /// <summary>The Functions app has no <see cref="DurableTaskClient"/> in DI: the activity gets the binding's.</summary>
    [Function(nameof(ScheduleNotificationsActivity))]
    public static Task<int> ScheduleNotifications([ActivityTrigger] ScheduleNotificationsInput input, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        RollbackActivityFunctions.Run<ScheduleNotificationsActivity, ScheduleNotificationsInput, int>(nameof(ScheduleNotificationsActivity), input, context,
            services => ActivatorUtilities.CreateInstance<ScheduleNotificationsActivity>(services, client));
}
