using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Notifications;

namespace RollbackFunctions.FunctionApp.Workflow;

/// <summary>The notification orchestrator and its activities under the names the code schedules and calls.</summary>
public static class NotificationFunctions
{
    [Function(nameof(NotificationOrchestrator))]
    public static Task<NotificationDeliveryResult> RunNotificationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new NotificationOrchestrator().RunAsync(context, context.GetInput<NotificationDeliveryInput>()!);
    }

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
