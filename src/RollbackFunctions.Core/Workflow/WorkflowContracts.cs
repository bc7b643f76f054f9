using RollbackFunctions.Deployment;

namespace RollbackFunctions.Workflow;

/// <summary>The orchestration's output: how the rollback ended and why.</summary>
/// <param name="RecoverySeconds">R, from the trigger's receipt to passed automated verification; null when never verified.</param>
public sealed record RollbackResult(
    string RollbackId,
    string Component,
    RollbackPhase Outcome,
    string? TargetVersion,
    string Reason,
    double? RecoverySeconds);

/// <summary>What the orchestration shows through its custom status, ahead of the audit.</summary>
/// <param name="FromVersion">With <paramref name="TargetVersion"/> and <paramref name="TargetArtifact"/>, the plan as a
/// whole: between the plan and the first audit row, readers see the whole target, never half of it. Null in the
/// status of an orchestration started by an older build.</param>
public sealed record RollbackCustomStatus(
    RollbackPhase Phase,
    string? TargetVersion,
    string? DeploymentId,
    string? FromVersion = null,
    string? TargetArtifact = null);

/// <param name="Audit">Every activity input carries the audit the workflow noted since the previous activity; the
/// activity writes it (deterministic keys) before anything it changes, so the audit never lags behind what is done.</param>
public sealed record ValidateRollbackTargetInput(string RollbackId, string Component, string? TargetVersion, RecordAuditInput? Audit = null) : IJournaledInput;

/// <param name="KnownBadVersion">The version rolled back from: marked RolledBack in the ledger before anything is
/// requested (API.md "Trust rules"), so it is never a target again whatever this rollback's outcome.</param>
public sealed record StartDeploymentInput(
    string RollbackId,
    string ProviderName,
    string Component,
    string Version,
    string Artifact,
    string Reason,
    DateTimeOffset Deadline,
    RecordAuditInput? Audit = null,
    string? KnownBadVersion = null,
    Deployment.DeploymentMode Mode = Deployment.DeploymentMode.Rollback) : IJournaledInput;

/// <summary>Why a provider call failed, and whether trying again within the budget can help.</summary>
/// <param name="Error">A reason fit for the audit.</param>
/// <param name="Transient">Timeout, 5xx or 429 after the provider's own retries, connection refused: try again later.</param>
/// <param name="DeadlinePassed">The call failed only because the rollback's deadline passed: the budget timer decides.</param>
/// <param name="RetryAfter">The wait the server asked for, if any.</param>
public sealed record ProviderCallFailure(string Error, bool Transient, bool DeadlinePassed, TimeSpan? RetryAfter)
{
    /// <param name="deadline">The rollback's deadline: a failure seen at or after it is counted as the deadline's.</param>
    public static ProviderCallFailure From(DeploymentProviderException exception, DateTimeOffset deadline, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(time);
        return new(exception.Message, exception.IsTransient, exception.DeadlinePassed || time.GetUtcNow() >= deadline, exception.RetryAfter);
    }
}

/// <param name="Failure">Why the deployment was not started; null when started.</param>
/// <param name="FirstProgress">The progress read once right after the start (a deployment that is done at once costs no
/// further activity); null when that read failed transiently, so the workflow polls as usual.</param>
public sealed record DeploymentStartResult(string? DeploymentId, bool AlreadyStarted, ProviderCallFailure? Failure = null, DeploymentPollResult? FirstProgress = null)
{
    public bool Started => DeploymentId is not null && Failure is null;
}

public sealed record GetDeploymentProgressInput(string RollbackId, string ProviderName, string Component, string DeploymentId, DateTimeOffset Deadline, RecordAuditInput? Audit = null) : IJournaledInput;

/// <param name="Failure">Why the progress could not be read; null when <paramref name="Progress"/> is set.</param>
public sealed record DeploymentPollResult(DeploymentProgress? Progress, ProviderCallFailure? Failure = null);

public sealed record RunProbeInput(string RollbackId, ProbeSpec Probe, RecordAuditInput? Audit = null) : IJournaledInput;

public sealed record ProbeResult(bool Passed, int? StatusCode, string Detail, double ElapsedMilliseconds);

public sealed record ProbeRoundInput(string RollbackId, IReadOnlyList<ProbeSpec> SmokeProbes, IReadOnlyList<ProbeSpec> HealthChecks, RecordAuditInput? Audit = null) : IJournaledInput;

/// <param name="Smoke">The first attempt of each smoke probe, in plan order.</param>
/// <param name="Health">The first attempt of each health check, in plan order; null when the smoke probes had not all settled as passed.</param>
public sealed record ProbeRoundResult(IReadOnlyList<ProbeResult> Smoke, IReadOnlyList<ProbeResult>? Health);

/// <summary>The summary row (replaced) and the timeline rows noted since the last write (keyed by their sequence).</summary>
/// <param name="WriteIndex">Also write the listing index rows (keyed by the start time, so once is enough).</param>
/// <param name="Trail">A drill's audit goes to the drills' tables.</param>
public sealed record RecordAuditInput(RollbackRecord? Summary, IReadOnlyList<RollbackStep> Steps, bool WriteIndex = true, Storage.AuditTrail Trail = Storage.AuditTrail.Rollbacks);

/// <summary>What the incident webhook is told of a rollback that did not succeed (section 11).</summary>
public sealed record IncidentReport(
    string RollbackId,
    string Component,
    RollbackPhase Outcome,
    string Reason,
    string? FromVersion,
    string? TargetVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt);

public sealed record EscalateIncidentInput(IncidentReport Incident, RecordAuditInput? Audit = null) : IJournaledInput;

/// <param name="NotConfigured">No webhook is configured: retrying cannot help.</param>
public sealed record IncidentDeliveryResult(bool Delivered, bool NotConfigured, int? StatusCode, string? Error);

/// <summary>The end of the rollback's hold on its component.</summary>
/// <param name="Outcome"><see cref="RollbackPhase.Succeeded"/>: <paramref name="Version"/> becomes current and known
/// good. Any other end freezes the component until an operator unfreezes it (section 11).</param>
/// <param name="RecoverySeconds">R, when automated verification passed; with <paramref name="BudgetRemainingSeconds"/> it feeds the metrics.</param>
/// <param name="RunningVersion">Any other end after automated verification passed: <paramref name="Version"/> runs, so it
/// becomes current (not known good) while the component is frozen. Null when nothing verified runs.</param>
public sealed record SettleComponentInput(
    string RollbackId,
    string Component,
    RollbackPhase Outcome,
    string? Version,
    string Reason,
    double? RecoverySeconds,
    double BudgetRemainingSeconds,
    RecordAuditInput? Audit = null,
    string? RunningVersion = null) : IJournaledInput;

/// <param name="Settled">The component is current (success) or frozen; false only when an operator already unfroze it after this rollback.</param>
public sealed record SettleComponentResult(bool Settled);

/// <param name="Deadline">How long the cancel may take: it runs at the rollback's end, so it has a short budget of its own.</param>
public sealed record CancelDeploymentInput(
    string RollbackId,
    string ProviderName,
    string Component,
    string DeploymentId,
    string Reason,
    DateTimeOffset Deadline,
    RecordAuditInput? Audit = null) : IJournaledInput;

/// <param name="Outcome">What the CI/CD system answered; null when the cancel request failed (<paramref name="Detail"/> says why).</param>
public sealed record CancelDeploymentResult(DeploymentCancelOutcome? Outcome, string Detail);
