using RollbackFunctions.Domain;
using RollbackFunctions.Tests.Workflow;

namespace RollbackFunctions.Tests.Trust;

/// <summary>
/// API.md "Trust rules", issue 14 sequence 1, on the in-process engine with Azurite and the loopback simulators: the
/// version a rollback moves away from is marked RolledBack when the target is pinned, so a later rollback never
/// returns to it.
/// </summary>
public sealed class KnownBadAtPinTests
{
    [Fact]
    public async Task Section5_after_v2_was_rolled_back_a_failing_v3_rolls_back_to_v1_not_to_v2()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Verified, "7", current: true);

        var first = await h.StartedAsync();
        var firstEnd = await h.WaitForEndAsync(first.RollbackId!);

        Assert.Equal((RollbackPhase.Succeeded, "1.1.0"), (firstEnd.Outcome, firstEnd.TargetVersion));
        var degraded = await h.Ledger.GetAsync(WorkflowHarness.Component, "1.2.0");
        Assert.Equal((ReleaseStatus.RolledBack, first.RollbackId), (degraded!.Status, degraded.RolledBackBy));
        var (_, steps, _) = await h.TimelineAsync(first.RollbackId!);
        var pinned = steps.Single(s => s.Name == "TargetPinned").Sequence;
        var marked = steps.Single(s => s.Name == "VersionMarkedRolledBack");
        Assert.True(marked.Sequence > pinned && marked.Sequence < steps.Single(s => s.Name == "DeploymentStarted").Sequence);
        Assert.Contains("1.2.0", marked.Detail, StringComparison.Ordinal);

        await h.RecordAsync("1.3.0", WorkflowHarness.Digest('d'), ReleaseStatus.Deployed, "7", current: true);
        var deploymentsBefore = h.Api.DeploymentsCreated;
        var second = await h.StartedAsync();
        var secondEnd = await h.WaitForEndAsync(second.RollbackId!);

        Assert.Equal((RollbackPhase.Succeeded, "1.1.0"), (secondEnd.Outcome, secondEnd.TargetVersion));
        Assert.Equal(deploymentsBefore + 1, h.Api.DeploymentsCreated);
        Assert.Equal("1.1.0", h.Api.Deployments.Single(d => d.IdempotencyKey == second.RollbackId).Version);
        Assert.Equal(ReleaseStatus.RolledBack, (await h.Ledger.GetAsync(WorkflowHarness.Component, "1.3.0"))!.Status);
        Assert.Equal(first.RollbackId, (await h.Ledger.GetAsync(WorkflowHarness.Component, "1.2.0"))!.RolledBackBy);
    }

    [Fact]
    public async Task Section5_a_rollback_that_fails_still_leaves_the_version_it_left_known_bad()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        h.Api.DefaultScript = RollbackFunctions.Simulators.DeploymentScript.Fail();

        var started = await h.StartedAsync();
        var ended = await h.WaitForEndAsync(started.RollbackId!);

        Assert.Equal(RollbackPhase.Failed, ended.Outcome);
        var left = await h.Ledger.GetAsync(WorkflowHarness.Component, "1.2.0");
        Assert.Equal((ReleaseStatus.RolledBack, started.RollbackId), (left!.Status, left.RolledBackBy));
        Assert.Equal(ReleaseStatus.Verified, (await h.Ledger.GetAsync(WorkflowHarness.Component, "1.1.0"))!.Status);
    }
}
