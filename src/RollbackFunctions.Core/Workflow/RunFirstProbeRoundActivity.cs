using RollbackFunctions.Verification;

namespace RollbackFunctions.Workflow;

/// <summary>
/// The first attempt of every smoke probe, then, only when each of them has already settled as passed (it passed and
/// needs no further consecutive pass), the first attempt of every health check: a deployment that is healthy at once
/// is verified in one activity instead of two. Probes of one kind run side by side, as in the workflow; later attempts
/// and their timers stay with the workflow, which starts counting from these results.
/// </summary>
/// <remarks>Probes change nothing, so the audit it was handed is written beside them.</remarks>
public sealed class RunFirstProbeRoundActivity(ProbeRunner runner, RollbackAuditStore audit)
    : JournaledActivity<ProbeRoundInput, ProbeRoundResult>(audit, readsOnly: true)
{
    protected override async Task<ProbeRoundResult> WorkAsync(ProbeRoundInput input)
    {
        var smoke = await Task.WhenAll(input.SmokeProbes.Select(p => runner.RunAsync(p, CancellationToken.None))).ConfigureAwait(false);
        var smokeSettled = smoke.Select((result, i) => result.Passed && input.SmokeProbes[i].ConsecutivePasses <= 1).All(settled => settled);
        if (!smokeSettled)
        {
            return new ProbeRoundResult(smoke, null);
        }

        var health = await Task.WhenAll(input.HealthChecks.Select(p => runner.RunAsync(p, CancellationToken.None))).ConfigureAwait(false);
        return new ProbeRoundResult(smoke, health);
    }
}
