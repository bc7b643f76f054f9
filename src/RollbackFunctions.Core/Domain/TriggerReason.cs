namespace RollbackFunctions.Domain;

/// <summary>The conditions of section 3 of the strategy under which a rollback must be initiated.</summary>
public enum TriggerReason
{
    DeploymentVerificationFailed,
    SmokeTestsFailed,
    HealthDegraded,
    DefinitionOfDoneViolated,
    RuntimeDeviation,
}
