using Microsoft.DurableTask;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Workflow;

/// <summary>
/// Ends the rollback's hold on its component: a success makes the target current and known good; any other end
/// freezes the component until an operator unfreezes it with an incident reference and analysis (section 11).
/// </summary>
public sealed class FinishRollbackActivity(ComponentStateStore components) : TaskActivity<FinishRollbackInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FinishRollbackInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Succeeded && input.Version is not null)
        {
            await components.CompleteSucceededAsync(input.Component, input.RollbackId, input.Version, CancellationToken.None).ConfigureAwait(false);
            return true;
        }

        var state = await components.FreezeAsync(input.Component, input.RollbackId, input.Reason, CancellationToken.None).ConfigureAwait(false);
        return state.IsFrozen;
    }
}
