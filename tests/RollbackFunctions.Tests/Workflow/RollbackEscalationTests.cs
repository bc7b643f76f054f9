using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>Section 11: every failed end escalates (retried) and freezes; an undeliverable escalation is recorded and unfreezes nothing.</summary>
public sealed class RollbackEscalationTests
{
    [Fact]
    public async Task Section11_escalation_is_retried_until_the_incident_webhook_accepts_it()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Fail();
        h.Incidents.FailFirst(2);

        var id = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Failed, (await h.WaitForEndAsync(id)).Outcome);

        Assert.Equal(3, h.Incidents.Attempts.Count);
        Assert.Equal([false, false, true], h.Incidents.Attempts.Select(a => a.Accepted));
        Assert.All(h.Incidents.Attempts, a => Assert.Equal(id, a.Text("rollbackId")));
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.Equal((true, 3), (rollback.Escalation!.Delivered, rollback.Escalation.Attempts));
        Assert.True((await h.Components.GetAsync(WorkflowHarness.Component)).IsFrozen);
    }

    [Fact]
    public async Task Section11_undeliverable_escalation_is_recorded_and_the_component_stays_frozen()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Fail();
        h.Incidents.FailAll = true;

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Equal(3, h.Incidents.Attempts.Count);
        Assert.Empty(h.Incidents.Accepted);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.False(rollback.Escalation!.Delivered);
        Assert.Equal(3, rollback.Escalation.Attempts);
        Assert.Contains("503", rollback.Escalation.Error, StringComparison.Ordinal);
        Assert.Contains(steps, s => s.Name == "Escalation" && s.Status == StepStatus.Failed && s.Detail!.Contains("stays frozen", StringComparison.Ordinal));

        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.True(state.IsFrozen);
        Assert.Equal(StartRollbackOutcome.Frozen, (await h.TriggerAsync()).Outcome);
    }

    [Fact]
    public async Task Section11_without_a_configured_webhook_the_escalation_is_recorded_as_undelivered()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s.Remove("Rollback:Incident:Url"));
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = DeploymentScript.Fail();

        var id = (await h.StartedAsync()).RollbackId!;
        await h.WaitForEndAsync(id);

        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.False(rollback.Escalation!.Delivered);
        Assert.Contains("Rollback:Incident:Url", rollback.Escalation.Error, StringComparison.Ordinal);
        Assert.Empty(h.Incidents.Attempts);
        Assert.True((await h.Components.GetAsync(WorkflowHarness.Component)).IsFrozen);
    }
}
