namespace RollbackFunctions.Gate.GitHub;

/// <param name="Reason">For a person: the gate's reason when reviewed, else what to fix.</param>
/// <param name="Environment">The GitHub environment of the event, when it was read.</param>
/// <param name="Component">The component it maps to, when it does.</param>
/// <param name="Gate">The gate the review was based on.</param>
/// <param name="Transient">For <see cref="DeploymentProtectionOutcome.CallbackFailed"/>: a redelivery may succeed.</param>
public sealed record DeploymentProtectionResult(
    DeploymentProtectionOutcome Outcome,
    string Reason,
    string? Environment = null,
    string? Component = null,
    GateState? Gate = null,
    bool Transient = false);
