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

public sealed record StartDeploymentInput(
    string RollbackId,
    string ProviderName,
    string Component,
    string Version,
    string Artifact,
    string Reason,
    DateTimeOffset Deadline);

/// <param name="Error">Why the provider refused (non-retriable), for the audit; null when started.</param>
public sealed record DeploymentStartResult(string? DeploymentId, bool AlreadyStarted, string? Error)
{
    public bool Started => DeploymentId is not null && Error is null;
}

public sealed record GetDeploymentProgressInput(string RollbackId, string ProviderName, string Component, string DeploymentId, DateTimeOffset Deadline);

public sealed record DeploymentPollResult(DeploymentProgress? Progress, string? Error);

public sealed record RunProbeInput(string RollbackId, ProbeSpec Probe);

public sealed record ProbeResult(bool Passed, int? StatusCode, string Detail, double ElapsedMilliseconds);

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
public sealed record FinishRollbackInput(string RollbackId, string Component, bool Succeeded, string? Version, string Reason);
