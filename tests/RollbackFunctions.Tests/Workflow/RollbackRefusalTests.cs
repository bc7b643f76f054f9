using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>Every refusal of sections 2, 4, 5 and 9: outcome Rejected, the reason recorded, nothing deployed.</summary>
public sealed class RollbackRefusalTests
{
    [Fact]
    public async Task Section4_unknown_component_is_refused_and_nothing_is_written_or_deployed()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();

        var result = await h.TriggerAsync(component: "warehouse", triggerId: "corr-unknown");

        Assert.Equal(StartRollbackOutcome.UnknownComponent, result.Outcome);
        Assert.Null(result.RollbackId);
        Assert.Contains("warehouse", result.Reason, StringComparison.Ordinal);
        Assert.Null(await h.TriggerKeys.FindAsync("warehouse", TriggerSource.Pipeline, "corr-unknown"));
        Assert.Empty(await h.Audit.ListAsync(null, 10));
        Assert.Empty(h.Api.Requests);
    }

    [Fact]
    public async Task Section5_no_previous_release_is_Rejected_and_nothing_is_deployed()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.RecordAsync("1.0.0", WorkflowHarness.Digest('a'), ReleaseStatus.Deployed, "7", current: true);

        await AssertRejectedAsync(h, null, RollbackPlanner.PreviousReleaseExists, "No release was recorded before the current version 1.0.0");
    }

    [Fact]
    public async Task Section5_explicit_target_that_is_not_Verified_is_Rejected()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.RecordAsync("1.0.0", WorkflowHarness.Digest('a'), ReleaseStatus.Verified, "7");
        await h.RecordAsync("1.1.0", WorkflowHarness.Digest('b'), ReleaseStatus.Failed, "7");
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Deployed, "7", current: true);

        var rollback = await AssertRejectedAsync(h, "1.1.0", RollbackPlanner.TargetVerified, "1.1.0 is Failed, not Verified");
        Assert.Equal("1.1.0", rollback.TargetVersion);
    }

    [Fact]
    public async Task Section5_without_any_verified_previous_release_the_automatic_target_is_Rejected()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.RecordAsync("1.1.0", WorkflowHarness.Digest('b'), ReleaseStatus.Deployed, "7");
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Deployed, "7", current: true);

        await AssertRejectedAsync(h, null, RollbackPlanner.TargetIdentified, "None of the 1 release(s) before 1.2.0 is Verified");
    }

    [Fact]
    public async Task Section5_explicit_target_unknown_to_the_ledger_is_Rejected()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();

        await AssertRejectedAsync(h, "0.9.0", RollbackPlanner.TargetIdentified, "0.9.0 is not in the release ledger");
    }

    [Fact]
    public async Task Section5_target_equal_to_the_current_version_is_Rejected()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.RecordAsync("1.0.0", WorkflowHarness.Digest('a'), ReleaseStatus.Verified, "7");
        await h.RecordAsync("1.1.0", WorkflowHarness.Digest('b'), ReleaseStatus.Verified, "7", current: true);

        await AssertRejectedAsync(h, "1.1.0", RollbackPlanner.TargetDiffersFromCurrent, "1.1.0 is already the current version");
    }

    [Fact]
    public async Task Section2_target_artifact_without_a_digest_is_not_immutable_and_is_Rejected()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.RecordAsync("1.1.0", "registry.example.test/shop:1.1.0", ReleaseStatus.Verified, "7");
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Deployed, "7", current: true);

        var rollback = await AssertRejectedAsync(h, null, RollbackPlanner.ArtifactImmutable, "is not pinned by a sha256/sha512 digest");
        Assert.Equal("registry.example.test/shop:1.1.0", rollback.TargetArtifact);
    }

    [Fact]
    public async Task Section9_target_on_another_schema_version_would_need_a_migration_and_is_Rejected()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.RecordAsync("1.1.0", WorkflowHarness.Digest('b'), ReleaseStatus.Verified, "6");
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Deployed, "7", current: true);

        await AssertRejectedAsync(h, null, RollbackPlanner.SchemaUnchanged, "would need a data migration, which section 9 forbids");
    }

    [Theory]
    [InlineData("registry.example.test/shop@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("registry.example.test/shop:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("pkg:nuget/Shop@1.2.0#sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("pkg:npm/shop@1.2.0#sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("registry.example.test/shop:latest", false)]
    [InlineData("registry.example.test/shop@sha256:0123", false)]
    [InlineData("registry.example.test/shop@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("pkg:nuget/Shop@1.2.0", false)]
    [InlineData("", false)]
    public void Section2_an_artifact_is_immutable_only_when_pinned_by_a_full_digest(string artifact, bool immutable) =>
        Assert.Equal(immutable, ArtifactReference.IsImmutable(artifact));

    [Fact]
    public async Task Section5_dry_run_plan_shows_the_target_and_every_precondition_without_side_effects()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        var planner = (RollbackPlanner)h.Services.GetService(typeof(RollbackPlanner))!;

        var plan = await planner.PlanAsync(WorkflowHarness.Component, null, CancellationToken.None);

        Assert.True(plan.Accepted);
        Assert.Equal(("1.2.0", "1.1.0", WorkflowHarness.Digest('b')), (plan.CurrentVersion, plan.Target!.Version, plan.Target.Artifact));
        Assert.All(plan.Preconditions, c => Assert.True(c.Passed, c.Reason));
        Assert.Contains(plan.Preconditions, c => c.Name == RollbackPlanner.SchemaUnchanged);
        Assert.Empty(await h.Audit.ListAsync(null, 10));
        Assert.Null((await h.Components.GetAsync(WorkflowHarness.Component)).ActiveRollbackId);
        Assert.Empty(h.Api.Requests);
    }

    private static async Task<RollbackRecord> AssertRejectedAsync(WorkflowHarness h, string? target, string failedPrecondition, string reasonFragment)
    {
        var id = (await h.StartedAsync(target)).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Rejected, result.Outcome);
        Assert.Contains(reasonFragment, result.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Api.Requests);
        Assert.Equal(0, h.Endpoints.TotalHits);

        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(RollbackPhase.Rejected, rollback.Phase);
        Assert.Contains(reasonFragment, rollback.OutcomeReason, StringComparison.Ordinal);
        Assert.Equal(target, rollback.RequestedTargetVersion);
        var failed = Assert.Single(steps, s => s.Name == "Precondition:" + failedPrecondition);
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.DoesNotContain(steps, s => s.Name.StartsWith("Deployment", StringComparison.Ordinal));

        // API.md: every end but Succeeded escalates and freezes.
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Rejected);
        return rollback;
    }
}
