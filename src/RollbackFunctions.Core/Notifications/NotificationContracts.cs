using RollbackFunctions.Workflow;

namespace RollbackFunctions.Notifications;

/// <summary>The input of <see cref="NotificationOrchestrator"/>: the notification, the channels subscribed when it was
/// scheduled, and the retry policy then configured (fixed, so replays agree). Header values are not in it: the
/// delivery activity reads them from configuration, so no secret lands in the orchestration history.</summary>
public sealed record NotificationDeliveryInput(LifecycleNotification Notification, IReadOnlyList<string> Channels, int MaxAttempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff);

/// <summary>What became of each channel's delivery.</summary>
public sealed record NotificationDeliveryResult(string IdempotencyKey, IReadOnlyList<ChannelDeliveryOutcome> Channels);

public sealed record ChannelDeliveryOutcome(string Channel, bool Delivered, int Attempts, string? Error);

/// <summary>One attempt of <see cref="DeliverNotificationActivity"/>.</summary>
public sealed record ChannelAttemptInput(LifecycleNotification Notification, string Channel, int Attempt);

/// <param name="Permanent">Trying again cannot help (the channel is no longer configured, or it refused the message as malformed).</param>
public sealed record ChannelAttemptResult(bool Delivered, int? StatusCode, string? Error, bool Permanent = false);

/// <summary>A delivery that still failed after its retries, for the audit (<see cref="RecordNotificationFailureActivity"/>).</summary>
public sealed record NotificationFailure(string AuditId, string IdempotencyKey, LifecycleEvent Event, string Channel, int Attempts, string? Error, DateTimeOffset At);

/// <summary>The workflow's entry point (<see cref="ScheduleNotificationsActivity"/>): notifications to schedule, and the audit to write first.</summary>
public sealed record ScheduleNotificationsInput(IReadOnlyList<LifecycleNotification> Notifications, RecordAuditInput? Audit = null);
