namespace RollbackFunctions.Deployment;

/// <summary>What a deployment is for: a real rollback, or a drill of one against a non-production copy.</summary>
public enum DeploymentMode
{
    Rollback,
    Drill,
}
