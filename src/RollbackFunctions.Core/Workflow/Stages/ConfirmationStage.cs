namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// Section 8: the operator's confirmation of restored availability, within the window. Durable engines buffer events
/// raised before anyone waits, so a confirmation given before verification passed would otherwise count: it is
/// recorded and ignored. The window's timer is re-armed if it fires early (<see cref="DurableTimers"/>).
/// </summary>
internal sealed class ConfirmationStage(TaskOrchestrationContext context, RollbackJournal journal, CancellationToken abort)
{
    /// <returns>The confirmation, or null when the window closed without one.</returns>
    public async Task<OperatorConfirmation?> WaitAsync(DateTimeOffset verifiedAt)
    {
        abort.ThrowIfCancellationRequested();
        var window = journal.Policy.ConfirmationWindow;
        var closesAt = journal.Now + window;

        // The live status says AwaitingConfirmation only once the audit does, so readers of either agree.
        journal.Update(s => s with { Phase = RollbackPhase.AwaitingConfirmation });
        journal.Note("AwaitingConfirmation", StepStatus.Started, $"Waiting up to {RollbackJournal.Format(window)} for an operator to confirm restored availability.");
        var waiting = Notifications.LifecycleNotifications.AwaitingConfirmation(journal.Summary, journal.Now, closesAt);
        await journal.RecordAsync(journal.Hand(withSummary: true)!, abort, waiting).ConfigureAwait(true);
        journal.EnterPhase(RollbackPhase.AwaitingConfirmation);

        using var windowClosing = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var closed = DurableTimers.UntilAsync(context, closesAt.UtcDateTime, windowClosing.Token);
        // Bounded by the window: every pass either ends or records an early confirmation, and the window closes.
        while (!closed.IsCompleted)
        {
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(abort);
            var confirmation = context.WaitForExternalEvent<OperatorConfirmation>(OperatorConfirmation.EventName, stopWaiting.Token);
            if (await Task.WhenAny(confirmation, closed).ConfigureAwait(true) == closed)
            {
                stopWaiting.Cancel();
                return null;
            }

            var received = await confirmation.ConfigureAwait(true);
            if (received.ConfirmedAt >= verifiedAt)
            {
                windowClosing.Cancel();
                return received;
            }

            journal.Note("EarlyConfirmationIgnored", StepStatus.Info,
                $"{received.Operator} confirmed at {received.ConfirmedAt:O}, before verification passed at {verifiedAt:O}: not counted.");
        }

        return null;
    }
}
