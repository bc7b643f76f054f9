using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// Section 8: smoke probes, then health checks, each attempted until it passed its consecutive passes or ran out of
/// attempts. Probes of one kind run side by side; health checks start once every smoke probe passed. The first
/// attempt of every probe is made in one activity (a deployment that is healthy at once costs one hop).
/// </summary>
internal sealed class VerificationStage(TaskOrchestrationContext context, RollbackJournal journal, RollbackPlan plan, CancellationToken stop)
{
    public async Task<StageVerdict> RunAsync()
    {
        stop.ThrowIfCancellationRequested();
        journal.EnterPhase(RollbackPhase.Verifying);
        var firstRound = await FirstRoundAsync().ConfigureAwait(true);
        var kinds = new (string Kind, IReadOnlyList<ProbeSpec> Probes, IReadOnlyList<ProbeResult>? FirstAttempts)[]
        {
            ("Smoke", plan.SmokeProbes, firstRound.Smoke),
            ("Health", plan.HealthChecks, firstRound.Health),
        };
        foreach (var (kind, probes, firstAttempts) in kinds)
        {
            var verdicts = await Task.WhenAll(probes.Select((probe, i) => ProbeUntilSettledAsync(kind, probe, firstAttempts?.ElementAtOrDefault(i)))).ConfigureAwait(true);
            if (verdicts.FirstOrDefault(v => !v.Passed) is { } failed)
            {
                return failed;
            }
        }

        return StageVerdict.Pass;
    }

    private async Task<ProbeRoundResult> FirstRoundAsync()
    {
        try
        {
            return await context.CallAsync<ProbeRoundResult>(nameof(RunFirstProbeRoundActivity),
                new ProbeRoundInput(journal.Request.RollbackId, plan.SmokeProbes, plan.HealthChecks, journal.Hand()), stop).ConfigureAwait(true);
        }
        catch (TaskFailedException)
        {
            // Probes answer their failures as results, so this is the worker failing: each probe is then attempted on
            // its own, and the audit handed to the round goes with the next write.
            journal.Rewind();
            return new ProbeRoundResult([], null);
        }
    }

    /// <param name="firstAttempt">The first attempt, when the first round made it.</param>
    private async Task<StageVerdict> ProbeUntilSettledAsync(string kind, ProbeSpec probe, ProbeResult? firstAttempt)
    {
        var consecutive = 0;
        var last = "";
        for (var attempt = 1; attempt <= probe.MaxAttempts; attempt++)
        {
            var result = attempt == 1 && firstAttempt is not null
                ? firstAttempt
                : await context.CallAsync<ProbeResult>(nameof(RunProbeActivity), new RunProbeInput(journal.Request.RollbackId, probe, journal.Hand()), stop).ConfigureAwait(true);
            last = result.Detail;
            consecutive = result.Passed ? consecutive + 1 : 0;
            if (consecutive >= probe.ConsecutivePasses)
            {
                journal.Note($"{kind}Probe:{probe.Name}", StepStatus.Passed, $"{ProbeUrls.Redact(probe.Url)}: {consecutive} consecutive pass(es) in {attempt} attempt(s); {last}");
                return StageVerdict.Pass;
            }

            if (attempt < probe.MaxAttempts)
            {
                await context.PauseAsync(probe.Interval, DateTime.MaxValue, stop).ConfigureAwait(true);
            }
        }

        var reason = $"{kind} probe '{probe.Name}' ({ProbeUrls.Redact(probe.Url)}) did not pass {probe.ConsecutivePasses} time(s) in a row within {probe.MaxAttempts} attempt(s); last: {last}";
        journal.Note($"{kind}Probe:{probe.Name}", StepStatus.Failed, reason);
        return new StageVerdict(false, reason);
    }
}
