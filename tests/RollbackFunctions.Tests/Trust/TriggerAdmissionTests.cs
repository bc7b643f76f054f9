using RollbackFunctions.Trust;

namespace RollbackFunctions.Tests.Trust;

/// <summary>The admission rules of API.md "Trust rules" on the sequences of issue 14, as a pure function.</summary>
public sealed class TriggerAdmissionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cooldown = TriggerAdmission.DefaultCooldown;
    private static readonly TimeSpan Skew = TriggerAdmission.DefaultEvidenceSkew;

    // Sequence 2: v2 deployed at T0; the first alert rolls it back to v1, the rollback ends Succeeded at T0+10 min.
    private static readonly LastRollback FirstRollback = new("rb-1", true, T0.AddMinutes(10), "1.0.0");

    [Fact]
    public void Sequence2_a_second_alert_two_minutes_after_the_success_is_a_Cooldown_of_the_first_rollback()
    {
        var decision = Evaluate(TriggerKind.Automatic, evidence: T0.AddMinutes(12), now: T0.AddMinutes(12).AddSeconds(5));

        Assert.Equal(AdmissionOutcome.Cooldown, decision.Outcome);
        Assert.Equal("rb-1", decision.RollbackId);
        Assert.Contains("still unhealthy after rollback rb-1", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence2_an_alert_fired_before_the_rollback_ended_is_Stale()
    {
        var decision = Evaluate(TriggerKind.Automatic, evidence: T0.AddMinutes(8), now: T0.AddMinutes(12));

        Assert.Equal(AdmissionOutcome.Stale, decision.Outcome);
        Assert.Null(decision.RollbackId);
        Assert.Equal(FirstRollback.EndedAt, decision.CurrentSince);
        Assert.Contains("before rollback rb-1 made 1.0.0 current", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_cooldown_a_trigger_about_the_restored_version_is_admitted()
    {
        var decision = Evaluate(TriggerKind.Automatic, evidence: T0.AddMinutes(26), now: T0.AddMinutes(26));

        Assert.Equal(AdmissionOutcome.Admit, decision.Outcome);
    }

    [Fact]
    public void A_pipeline_request_during_the_cooldown_is_a_Cooldown_and_is_never_Stale()
    {
        Assert.Equal(AdmissionOutcome.Cooldown, Evaluate(TriggerKind.Pipeline, evidence: null, now: T0.AddMinutes(11)).Outcome);
        Assert.Equal(AdmissionOutcome.Cooldown, Evaluate(TriggerKind.Pipeline, evidence: T0, now: T0.AddMinutes(11)).Outcome);
    }

    [Fact]
    public void A_new_Deployed_release_ends_the_cooldown_and_evidence_is_judged_against_its_record_less_the_skew()
    {
        var deployedAt = T0.AddMinutes(15);
        var input = new AdmissionInput(TriggerKind.Automatic, deployedAt.AddMinutes(1), "1.3.0", deployedAt, FirstRollback, deployedAt.AddMinutes(1));
        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input, Cooldown, Skew).Outcome);

        // Within the skew before the record: the release was already live, the evidence is about it.
        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input with { Evidence = deployedAt - TimeSpan.FromSeconds(90) }, Cooldown, Skew).Outcome);

        var stale = TriggerAdmission.Evaluate(input with { Evidence = deployedAt - TimeSpan.FromMinutes(3) }, Cooldown, Skew);
        Assert.Equal(AdmissionOutcome.Stale, stale.Outcome);
        Assert.Equal(deployedAt - Skew, stale.CurrentSince);
        Assert.Contains("before 1.3.0 was deployed", stale.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redeployment_of_the_restored_version_also_ends_the_cooldown()
    {
        var redeployed = T0.AddMinutes(11);
        var input = new AdmissionInput(TriggerKind.Automatic, T0.AddMinutes(12), "1.0.0", redeployed, FirstRollback, T0.AddMinutes(12));

        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input, Cooldown, Skew).Outcome);
    }

    [Fact]
    public void A_failed_last_rollback_sets_no_cooldown()
    {
        var failed = FirstRollback with { Succeeded = false };
        var input = new AdmissionInput(TriggerKind.Automatic, T0.AddMinutes(12), "1.0.0", T0.AddMinutes(-60), failed, T0.AddMinutes(12));

        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input, Cooldown, Skew).Outcome);
    }

    [Fact]
    public void Evidence_older_than_the_current_deployment_is_Stale_without_any_rollback_and_missing_evidence_is_admitted()
    {
        var input = new AdmissionInput(TriggerKind.Automatic, T0.AddMinutes(-5), "1.2.0", T0, null, T0.AddMinutes(1));

        Assert.Equal(AdmissionOutcome.Stale, TriggerAdmission.Evaluate(input, Cooldown, Skew).Outcome);
        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input with { Evidence = null }, Cooldown, Skew).Outcome);
        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input with { Evidence = T0.AddSeconds(30) }, Cooldown, Skew).Outcome);
    }

    [Fact]
    public void After_an_unconfirmed_rollback_its_running_target_is_judged_from_its_end_and_no_cooldown_holds()
    {
        // Verified, then not confirmed: 1.0.0 runs (current, frozen until unfreeze), and the rollback did not succeed.
        var unconfirmed = new LastRollback("rb-2", false, T0.AddMinutes(10), "1.0.0");
        var input = new AdmissionInput(TriggerKind.Automatic, T0.AddMinutes(8), "1.0.0", T0.AddMinutes(-60), unconfirmed, T0.AddMinutes(40));

        var stale = TriggerAdmission.Evaluate(input, Cooldown, Skew);
        Assert.Equal(AdmissionOutcome.Stale, stale.Outcome);
        Assert.Equal(unconfirmed.EndedAt, stale.CurrentSince);
        Assert.Contains("before rollback rb-2 made 1.0.0 current", stale.Reason, StringComparison.Ordinal);

        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input with { Evidence = T0.AddMinutes(12), Now = T0.AddMinutes(12) }, Cooldown, Skew).Outcome);
    }

    [Fact]
    public void A_failed_rollback_whose_target_never_ran_does_not_move_the_current_versions_clock()
    {
        // The target is not current (the version rolled back from still is): its deployment is what counts.
        var failed = new LastRollback("rb-3", false, T0.AddMinutes(10), "1.0.0");
        var input = new AdmissionInput(TriggerKind.Automatic, T0.AddMinutes(8), "1.2.0", T0.AddMinutes(-60), failed, T0.AddMinutes(40));

        Assert.Equal(AdmissionOutcome.Admit, TriggerAdmission.Evaluate(input, Cooldown, Skew).Outcome);
    }

    private static AdmissionDecision Evaluate(TriggerKind kind, DateTimeOffset? evidence, DateTimeOffset now) =>
        TriggerAdmission.Evaluate(new AdmissionInput(kind, evidence, "1.0.0", T0.AddMinutes(-60), FirstRollback, now), Cooldown, Skew);
}

/// <summary><c>Rollback:Cooldown</c> and <c>Rollback:EvidenceSkew</c>: defaults and start-time validation.</summary>
public sealed class TrustOptionsValidationTests
{
    [Fact]
    public void Defaults_are_15_minutes_and_2_minutes_and_bad_values_are_named()
    {
        var options = new RollbackFunctions.Configuration.RollbackOptions();
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(2)), (options.Cooldown, options.EvidenceSkew));

        options.Cooldown = TimeSpan.FromMinutes(-1);
        options.EvidenceSkew = TimeSpan.FromHours(2);
        var failures = new RollbackFunctions.Configuration.RollbackOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Rollback:Cooldown must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Rollback:EvidenceSkew must be", StringComparison.Ordinal));
    }
}
