namespace RollbackFunctions.Workflow;

/// <summary>
/// Writes the audit (section 10) when no other activity is due to carry it: before the wait for the operator and at
/// the end. Keys are deterministic (rollback id, sequence assigned by the orchestrator), so a retry rewrites the same rows.
/// </summary>
public sealed class RecordAuditActivity(RollbackAuditStore audit) : TaskActivity<RecordAuditInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RecordAuditInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await audit.RecordAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
