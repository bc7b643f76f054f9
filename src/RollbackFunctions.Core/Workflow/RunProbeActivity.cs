using Microsoft.DurableTask;
using RollbackFunctions.Verification;

namespace RollbackFunctions.Workflow;

/// <summary>One attempt of one smoke probe or health check; the workflow counts consecutive passes between timers.</summary>
public sealed class RunProbeActivity(ProbeRunner runner) : TaskActivity<RunProbeInput, ProbeResult>
{
    public override Task<ProbeResult> RunAsync(TaskActivityContext context, RunProbeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return runner.RunAsync(input.Probe, CancellationToken.None);
    }
}
