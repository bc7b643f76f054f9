using RollbackFunctions.Deployment;
using RollbackFunctions.Domain;

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
public sealed record RollbackCustomStatus(RollbackPhase Phase, string? TargetVersion, string? DeploymentId);

public sealed record ValidateRollbackTargetInput(string RollbackId, string Component, string? TargetVersion);

/// <param name="AuditFirst">Audit rows written before the deployment is requested (section 10: the pinned target),
/// in the same activity so the rollback waits for one dispatch, not two; rewriting them on a retry changes nothing.</param>
public sealed record StartDeploymentInput(
    string RollbackId,
    string ProviderName,
    string Component,
    string Version,
    string Artifact,
    string Reason,
    DateTimeOffset Deadline,
    RecordAuditInput? AuditFirst = null);

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
/// <param name="FirstPoll">The first progress read, made in the same activity right after the start (one engine hop fewer); null when it was not made or failed.</param>
public sealed record DeploymentStartResult(string? DeploymentId, bool AlreadyStarted, ProviderCallFailure? Failure = null, DeploymentPollResult? FirstPoll = null)
{
    public bool Started => DeploymentId is not null && Failure is null;
}

public sealed record GetDeploymentProgressInput(string RollbackId, string ProviderName, string Component, string DeploymentId, DateTimeOffset Deadline);

/// <param name="Failure">Why the progress could not be read; null when <paramref name="Progress"/> is set.</param>
public sealed record DeploymentPollResult(DeploymentProgress? Progress, ProviderCallFailure? Failure = null);

public sealed record RunProbeInput(string RollbackId, ProbeSpec Probe);

public sealed record ProbeResult(bool Passed, int? StatusCode, string Detail, double ElapsedMilliseconds);

public sealed record ProbeRoundInput(string RollbackId, IReadOnlyList<ProbeSpec> SmokeProbes, IReadOnlyList<ProbeSpec> HealthChecks);

/// <param name="Smoke">The first attempt of each smoke probe, in plan order.</param>
/// <param name="Health">The first attempt of each health check, in plan order; null when the smoke probes had not all settled as passed.</param>
public sealed record ProbeRoundResult(IReadOnlyList<ProbeResult> Smoke, IReadOnlyList<ProbeResult>? Health);

/// <summary>The summary row (replaced) and the timeline rows noted since the last write (keyed by their sequence).</summary>
/// <param name="WriteIndex">Also write the listing index rows (keyed by the start time, so once is enough).</param>
public sealed record RecordAuditInput(RollbackRecord? Summary, IReadOnlyList<RollbackStep> Steps, bool WriteIndex = true);

public sealed record EscalateIncidentInput(
    string RollbackId,
    string Component,
    RollbackPhase Outcome,
    string Reason,
    string? FromVersion,
    string? TargetVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt);

/// <param name="NotConfigured">No webhook is configured: retrying cannot help.</param>
public sealed record IncidentDeliveryResult(bool Delivered, bool NotConfigured, int? StatusCode, string? Error);

/// <param name="Succeeded">True: the target is current and known good, the claim ends. False: the component freezes.</param>
/// <param name="RecoverySeconds">R, when automated verification passed; with <paramref name="BudgetRemainingSeconds"/> it feeds the metrics.</param>
/// <param name="AuditAfter">Audit rows written once the component is settled, the summary's EndedAt stamped then; in the
/// same activity so the end waits for one dispatch, not two. Rewriting them on a retry changes nothing.</param>
/// <param name="EscalateAfter">The incident's first delivery attempt, made once the component is frozen (section 11);
/// further attempts are the workflow's, between durable timers.</param>
public sealed record FinishRollbackInput(
    string RollbackId,
    string Component,
    bool Succeeded,
    string? Version,
    string Reason,
    RollbackPhase Outcome = RollbackPhase.Failed,
    double? RecoverySeconds = null,
    double? BudgetRemainingSeconds = null,
    RecordAuditInput? AuditAfter = null,
    EscalateIncidentInput? EscalateAfter = null);

/// <param name="Settled">The component is current (success) or frozen.</param>
/// <param name="Escalation">The first delivery attempt of the incident, when the input asked for it.</param>
public sealed record FinishRollbackResult(bool Settled, IncidentDeliveryResult? Escalation = null);
