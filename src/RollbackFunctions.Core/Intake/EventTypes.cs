namespace RollbackFunctions.Intake;

/// <summary>The event types <c>/api/events</c> applies (API.md), by CloudEvents <c>type</c> or Event Grid <c>eventType</c>.</summary>
public static class EventTypes
{
    public const string ReleasePrefix = "Rollback.Release.";
    public const string TriggerPrefix = "Rollback.Trigger.";
    public const string HealthAvailabilityChanged = "Microsoft.ResourceNotifications.HealthResources.AvailabilityStatusChanged";
    public const string SubscriptionValidation = "Microsoft.EventGrid.SubscriptionValidationEvent";

    public static IReadOnlyList<string> All { get; } =
    [
        .. ReleaseBody.RecordableStatuses.Select(s => ReleasePrefix + s),
        .. Enum.GetNames<TriggerReason>().Select(r => TriggerPrefix + r),
        HealthAvailabilityChanged,
    ];

    /// <summary>The status a release event's type records; null for any other type, <c>Rollback.Release.RolledBack</c> included (only a rollback sets it).</summary>
    public static ReleaseStatus? ReleaseStatusOf(string type) =>
        type.StartsWith(ReleasePrefix, StringComparison.Ordinal) ? ReleaseBody.RecordableStatus(type[ReleasePrefix.Length..]) : null;

    public static TriggerReason? TriggerReasonOf(string type) =>
        type.StartsWith(TriggerPrefix, StringComparison.Ordinal) ? TextRules.NameOf<TriggerReason>(type[TriggerPrefix.Length..]) : null;
}
