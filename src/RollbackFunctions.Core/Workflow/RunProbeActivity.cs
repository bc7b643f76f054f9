using RollbackFunctions.Verification;

namespace RollbackFunctions.Workflow;

/// <summary>One attempt of one smoke probe or health check; the workflow counts consecutive passes between timers.</summary>
/// <remarks>A probe changes nothing, so the audit it was handed is written beside it.</remarks>
public sealed class RunProbeActivity(ProbeRunner runner, RollbackAuditStore audit)
    : JournaledActivity<RunProbeInput, ProbeResult>(audit, readsOnly: true)
{
    protected override Task<ProbeResult> WorkAsync(RunProbeInput input) =>
        runner.RunAsync(input.Probe, CancellationToken.None);
}
