namespace RollbackFunctions.Domain;

/// <summary>
/// The timing rules a rollback runs under, copied from configuration when it starts, so a configuration change never
/// alters a rollback already running (and replays see the same values).
/// </summary>
/// <param name="Budget">From the trigger's receipt to passed automated verification (section 7), at most 5 minutes.</param>
/// <param name="ConfirmationWindow">How long an operator has to confirm restored availability (section 8).</param>
/// <param name="DeploymentPollInterval">The durable timer between two progress polls of the deployment.</param>
/// <param name="IncidentMaxAttempts">Delivery attempts of the incident escalation before it is recorded as undeliverable.</param>
/// <param name="IncidentInitialBackoff">Wait before the second delivery attempt; doubled for each further one.</param>
/// <param name="Notify">The lifecycle events some notification channel subscribed to when the rollback started: the
/// workflow schedules only those (none configured costs the workflow nothing).</param>
public sealed record RollbackPolicy(
    TimeSpan Budget,
    TimeSpan ConfirmationWindow,
    TimeSpan DeploymentPollInterval,
    int IncidentMaxAttempts,
    TimeSpan IncidentInitialBackoff,
    IReadOnlyList<Notifications.LifecycleEvent>? Notify = null)
{
    public static RollbackPolicy Default { get; } = new(
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(2), 5, TimeSpan.FromSeconds(1));
}
