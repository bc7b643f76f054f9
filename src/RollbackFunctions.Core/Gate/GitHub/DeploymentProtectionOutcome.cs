namespace RollbackFunctions.Gate.GitHub;

/// <summary>What the protection-rule handler did with one webhook delivery; the route maps each to its answer.</summary>
public enum DeploymentProtectionOutcome
{
    /// <summary>The gate is open: the deployment was approved through its callback URL (route: 200).</summary>
    Approved,

    /// <summary>The gate is closed: the deployment was rejected with the gate's reason (route: 200).</summary>
    Rejected,

    /// <summary><c>Rollback:GitHubProtection</c> is not configured (route: 404 problem; nothing done).</summary>
    NotConfigured,

    /// <summary>Missing or wrong <c>X-Hub-Signature-256</c> (route: 401 problem; nothing done, nothing called back).</summary>
    SignatureInvalid,

    /// <summary>A signed delivery that is not a requested protection rule (a <c>ping</c>, another event or action): route 200, nothing done.</summary>
    Ignored,

    /// <summary>Signed, but not a usable payload: not JSON, or no environment, callback URL or installation (route: 400 problem).</summary>
    InvalidPayload,

    /// <summary>The environment maps to no component (route: 422 problem; no callback, so GitHub keeps the deployment waiting).</summary>
    UnmappedEnvironment,

    /// <summary>The callback URL is not on the configured GitHub API host: the token is never sent there (route: 422 problem).</summary>
    CallbackUrlRefused,

    /// <summary>The token exchange or the callback failed (route: 503 when <see cref="DeploymentProtectionResult.Transient"/>, else 502).</summary>
    CallbackFailed,
}
