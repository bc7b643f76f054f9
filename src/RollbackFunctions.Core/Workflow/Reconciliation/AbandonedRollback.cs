namespace RollbackFunctions.Workflow.Reconciliation;

/// <summary>What the reconciler found wrong with a claimed rollback.</summary>
public enum AbandonedReason
{
    /// <summary>The claim's orchestration does not exist (a crash between claim and schedule).</summary>
    OrchestrationMissing,

    /// <summary>The orchestration failed in the engine.</summary>
    OrchestrationFailed,

    /// <summary>The orchestration was terminated.</summary>
    OrchestrationTerminated,

    /// <summary>The orchestration completed without settling its component.</summary>
    OrchestrationEndedWithClaim,

    /// <summary>The orchestration runs far past its deadline, confirmation window and escalation time; it was terminated.</summary>
    OrchestrationStuck,
}

/// <param name="Claim">The component as read with the claim still on it.</param>
/// <param name="Request">The orchestration input: from the engine when it exists, else from the claim; null when neither knows it.</param>
public sealed record AbandonedRollback(ComponentState Claim, AbandonedReason Reason, RollbackRequest? Request)
{
    public string RollbackId => Claim.ActiveRollbackId!;

    public string Explanation => Reason switch
    {
        AbandonedReason.OrchestrationMissing => $"Rollback {RollbackId} was claimed at {Claim.ActiveSince:O} but its orchestration was never scheduled (a crash between claim and schedule).",
        AbandonedReason.OrchestrationFailed => $"The orchestration of rollback {RollbackId} failed in the engine without ending the rollback.",
        AbandonedReason.OrchestrationTerminated => $"The orchestration of rollback {RollbackId} was terminated before it ended the rollback.",
        AbandonedReason.OrchestrationEndedWithClaim => $"The orchestration of rollback {RollbackId} completed without settling its component.",
        _ => $"The orchestration of rollback {RollbackId} was still running long after its deadline, confirmation window and escalation time; it was terminated.",
    };
}

/// <param name="Ended">Rollbacks this pass ended.</param>
public sealed record ReconciliationPass(IReadOnlyList<AbandonedRollback> Ended);
