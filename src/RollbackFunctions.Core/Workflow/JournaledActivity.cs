namespace RollbackFunctions.Workflow;

/// <summary>An activity input that carries the audit the workflow noted since the previous activity.</summary>
public interface IJournaledInput
{
    RecordAuditInput? Audit { get; }
}

/// <summary>
/// An activity of the workflow under the audit's one rule (<see cref="RollbackAuditStore.RecordWithAsync{T}"/>): the
/// audit it was handed is written before anything its work changes, or beside work that only reads. The rule is kept
/// here once, so an activity states only its work and whether that work reads only.
/// </summary>
/// <param name="readsOnly">The work changes nothing (reads, probes, polls): the audit need not be written first.</param>
public abstract class JournaledActivity<TInput, TOutput>(RollbackAuditStore audit, bool readsOnly) : TaskActivity<TInput, TOutput>
    where TInput : class, IJournaledInput
{
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return audit.RecordWithAsync(input.Audit, readsOnly, () => WorkAsync(input));
    }

    /// <summary>The activity's own work, run once the audit's rule allows.</summary>
    protected abstract Task<TOutput> WorkAsync(TInput input);
}
