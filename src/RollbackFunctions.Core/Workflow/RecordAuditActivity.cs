using Microsoft.DurableTask;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Writes the audit (section 10): the summary row and the timeline rows since the last write, in one transaction. Keys are deterministic (rollback id,
/// sequence assigned by the orchestrator), so a replay or a retried activity rewrites the same rows.
/// </summary>
public sealed class RecordAuditActivity(RollbackAuditStore audit) : TaskActivity<RecordAuditInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RecordAuditInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await audit.RecordAsync(input.Summary, input.Steps ?? [], input.WriteIndex, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
