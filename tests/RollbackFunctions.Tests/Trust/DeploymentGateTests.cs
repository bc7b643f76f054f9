using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Gate;
using RollbackFunctions.Tests.Workflow;

namespace RollbackFunctions.Tests.Trust;

/// <summary>API.md "The deployment gate": closed while a rollback is active and while frozen, open otherwise.</summary>
public sealed class DeploymentGateTests
{
    [Fact]
    public async Task The_gate_closes_for_an_active_rollback_and_a_freeze_and_opens_again_only_after_unfreeze()
    {
        await using var h = await WorkflowHarness.StartAsync(services: s => s.AddDeploymentGate(new ConfigurationBuilder().Build()));
        var gate = h.Services.GetRequiredService<DeploymentGate>();
        const string component = WorkflowHarness.Component;

        var open = await gate.EvaluateAsync(component);
        Assert.Equal(GateOutcome.Open, open.Outcome);
        Assert.Equal(new GateState(component, true, open.Reason, null, null), open.State);

        await h.Components.TryClaimAsync(component, "rb-gate");
        var active = await gate.EvaluateAsync(component);
        Assert.Equal(GateOutcome.Closed, active.Outcome);
        Assert.False(active.State!.Open);
        Assert.Equal("rb-gate", active.State.ActiveRollbackId);
        Assert.Null(active.State.FrozenSince);
        Assert.Contains("Rollback rb-gate is in progress", active.State.Reason, StringComparison.Ordinal);

        var frozenState = await h.Components.FreezeAsync(component, "rb-gate", "rollback rb-gate ended Failed");
        var frozen = await gate.EvaluateAsync(component);
        Assert.Equal(GateOutcome.Closed, frozen.Outcome);
        Assert.Null(frozen.State!.ActiveRollbackId);
        Assert.Equal(frozenState.Freeze!.FrozenAt, frozen.State.FrozenSince);
        Assert.Contains("rollback rb-gate ended Failed", frozen.State.Reason, StringComparison.Ordinal);
        Assert.Contains($"/api/components/{component}/unfreeze", frozen.State.Reason, StringComparison.Ordinal);

        await h.Components.UnfreezeAsync(component, "ops@example.test", "INC-1", "bad config fixed");
        var reopened = await gate.EvaluateAsync(component);
        Assert.Equal(GateOutcome.Open, reopened.Outcome);
        Assert.True(reopened.State!.Open);
    }

    [Fact]
    public async Task Frozen_with_a_rollback_active_names_both()
    {
        await using var h = await WorkflowHarness.StartAsync(services: s => s.AddDeploymentGate(new ConfigurationBuilder().Build()));
        var gate = h.Services.GetRequiredService<DeploymentGate>();
        await h.Components.TryClaimAsync(WorkflowHarness.Component, "rb-a");
        await h.Components.FreezeAsync(WorkflowHarness.Component, "rb-other", "rollback rb-other ended TimedOut");

        var closed = await gate.EvaluateAsync(WorkflowHarness.Component);

        Assert.Equal(GateOutcome.Closed, closed.Outcome);
        Assert.Equal("rb-a", closed.State!.ActiveRollbackId);
        Assert.NotNull(closed.State.FrozenSince);
        Assert.Contains("TimedOut", closed.State.Reason, StringComparison.Ordinal);
        Assert.Contains("rb-a", closed.State.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("warehouse")]
    [InlineData("../shop")]
    public async Task An_unknown_component_has_no_gate(string component)
    {
        await using var h = await WorkflowHarness.StartAsync(services: s => s.AddDeploymentGate(new ConfigurationBuilder().Build()));
        var gate = h.Services.GetRequiredService<DeploymentGate>();

        var unknown = await gate.EvaluateAsync(component);

        Assert.Equal(GateOutcome.UnknownComponent, unknown.Outcome);
        Assert.False(unknown.IsKnown);
        Assert.Null(unknown.State);
        Assert.Contains(component, unknown.Reason, StringComparison.Ordinal);
    }
}
