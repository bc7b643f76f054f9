namespace RollbackFunctions.Notifications;

/// <summary>Records in the audit a delivery that still failed after its retries (one row per key and channel, so a replay rewrites it).</summary>
public sealed class RecordNotificationFailureActivity(RollbackAuditStore audit) : TaskActivity<NotificationFailure, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, NotificationFailure input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await audit.RecordNotificationFailureAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
