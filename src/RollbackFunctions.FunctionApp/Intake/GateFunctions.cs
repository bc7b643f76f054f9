namespace RollbackFunctions.FunctionApp.Intake;

/// <summary>The deployment gate of API.md: asked by pipelines before they deploy, and GitHub's protection rule over it.</summary>
public sealed class GateFunctions(DeploymentGateHandler gate)
{
    [Function(nameof(RollbackRoutes.GetDeploymentGate))]
    public Task<IResult> GetDeploymentGateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RollbackRoutes.GateTemplate)] HttpRequest req,
        string component) =>
        gate.GetAsync(component, req.HttpContext.RequestAborted);

    /// <summary>GitHub sends no function key: the X-Hub-Signature-256 over the raw body authenticates the delivery.</summary>
    [Function(nameof(RollbackRoutes.GitHubDeploymentProtection))]
    public Task<IResult> GitHubDeploymentProtectionAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RollbackRoutes.GitHubDeploymentProtectionTemplate)] HttpRequest req) =>
        gate.ReceiveProtectionRuleAsync(req, req.HttpContext.RequestAborted);
}
