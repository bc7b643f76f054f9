namespace RollbackFunctions.Workflow.Stages;

/// <summary>How the rollback ends and why, decided before the end's own work begins.</summary>
/// <param name="CancelDeployment">The deployment is still in flight: ask the CI/CD system to stop it (no change lands after the end).</param>
internal sealed record RollbackDecision(RollbackPhase Outcome, string Reason, bool CancelDeployment = false)
{
    /// <summary>
    /// Nothing is left hanging (API.md): an activity whose retries ran out, or a fault in the workflow's code, ends the
    /// run Failed like any failure.
    /// </summary>
    public static RollbackDecision Unexpected(RollbackJournal journal, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception is TaskFailedException failed
            ? $"{failed.TaskName} failed after its retries: {failed.FailureDetails.ErrorMessage}"
            : $"The workflow failed unexpectedly: {exception.GetType().Name}: {exception.Message}";
        journal.Note("UnexpectedFailure", StepStatus.Failed, reason);
        return new RollbackDecision(RollbackPhase.Failed, reason);
    }
}
