using Microsoft.DurableTask;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Writes the audit (section 10): the summary row and/or one timeline row. Keys are deterministic (rollback id,
/// sequence assigned by the orchestrator), so a replay or a retried activity rewrites the same rows.
/// </summary>
public sealed class RecordAuditActivity(RollbackAuditStore audit) : TaskActivity<RecordAuditInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RecordAuditInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var summary = input.Summary is null ? Task.CompletedTask : audit.UpsertRollbackAsync(input.Summary, CancellationToken.None);
        var step = input.Step is null ? Task.CompletedTask : audit.WriteStepAsync(input.Step, CancellationToken.None);
        await Task.WhenAll(summary, step).ConfigureAwait(false);
        return true;
    }
}
