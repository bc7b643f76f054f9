using RollbackFunctions.Domain;

namespace RollbackFunctions.Workflow.Stages;

/// <summary>How the rollback ends and why, decided before the end's own work begins.</summary>
/// <param name="CancelDeployment">The deployment is still in flight: ask the CI/CD system to stop it (no change lands after the end).</param>
internal sealed record RollbackDecision(RollbackPhase Outcome, string Reason, bool CancelDeployment = false);
