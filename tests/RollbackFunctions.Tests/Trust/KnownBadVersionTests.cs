using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Domain;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Tests.Workflow;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Trust;

/// <summary>API.md "Trust rules": a version rolled back from is known bad, in the ledger and in the planner.</summary>
public sealed class KnownBadVersionTests
{
    private const string Component = "shop";

    [Fact]
    public async Task Marking_a_version_RolledBack_keeps_its_artifact_and_records_the_rollback_once()
    {
        var ledger = new ReleaseLedger(Azurite.CreateTables(), TimeProvider.System);
        await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('b'), ReleaseStatus.Verified, "7", "abc123");

        var marked = await ledger.MarkRolledBackAsync(Component, "1.1.0", "rb-1");
        var again = await ledger.MarkRolledBackAsync(Component, "1.1.0", "rb-1");
        var byAnother = await ledger.MarkRolledBackAsync(Component, "1.1.0", "rb-2");
        var stored = await ledger.GetAsync(Component, "1.1.0");

        Assert.Equal(ReleaseMarkOutcome.Marked, marked.Outcome);
        Assert.Equal(ReleaseMarkOutcome.AlreadyMarked, again.Outcome);
        Assert.Equal(ReleaseMarkOutcome.AlreadyMarked, byAnother.Outcome);
        Assert.NotNull(stored);
        Assert.Equal(ReleaseStatus.RolledBack, stored.Status);
        Assert.Equal("rb-1", stored.RolledBackBy);
        Assert.Equal(marked.Release!.RolledBackAt, stored.RolledBackAt);
        Assert.NotNull(stored.RolledBackAt);
        Assert.Equal(stored, again.Release);
        Assert.Equal((RollbackTestEnvironment.Digest('b'), "7", "abc123"), (stored.Artifact, stored.SchemaVersion, stored.Commit));
    }

    [Fact]
    public async Task A_RolledBack_version_is_refused_as_Verified_and_stays_RolledBack_through_Deployed_and_Failed()
    {
        var ledger = new ReleaseLedger(Azurite.CreateTables(), TimeProvider.System);
        await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('b'), ReleaseStatus.Deployed, "7", null);
        await ledger.MarkRolledBackAsync(Component, "1.1.0", "rb-1");

        var verified = await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('b'), ReleaseStatus.Verified, "7", null);
        var redeployed = await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('b'), ReleaseStatus.Deployed, "7", null);
        var failed = await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('b'), ReleaseStatus.Failed, "7", null);
        var otherArtifact = await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('e'), ReleaseStatus.Verified, "7", null);

        Assert.Equal(ReleaseWriteOutcome.RolledBackConflict, verified.Outcome);
        Assert.Equal("rb-1", verified.Release.RolledBackBy);
        Assert.Equal(ReleaseWriteOutcome.Unchanged, redeployed.Outcome);
        Assert.Equal(ReleaseWriteOutcome.Unchanged, failed.Outcome);
        Assert.Equal(ReleaseWriteOutcome.ArtifactConflict, otherArtifact.Outcome);
        var stored = await ledger.GetAsync(Component, "1.1.0");
        Assert.Equal((ReleaseStatus.RolledBack, "rb-1"), (stored!.Status, stored.RolledBackBy));
    }

    [Fact]
    public async Task RolledBack_is_set_only_by_a_rollback_never_recorded_and_an_unknown_version_is_not_marked()
    {
        var ledger = new ReleaseLedger(Azurite.CreateTables(), TimeProvider.System);

        var recorded = await ledger.RecordAsync(Component, "1.1.0", RollbackTestEnvironment.Digest('b'), ReleaseStatus.RolledBack, "7", null);
        var unknown = await ledger.MarkRolledBackAsync(Component, "9.9.9", "rb-1");

        Assert.Equal(ReleaseWriteOutcome.StatusNotRecordable, recorded.Outcome);
        Assert.Null(await ledger.GetAsync(Component, "1.1.0"));
        Assert.Equal(ReleaseMarkOutcome.UnknownVersion, unknown.Outcome);
        Assert.Null(unknown.Release);
        Assert.Empty(await ledger.ListAsync(Component));
    }

    [Fact]
    public async Task Sequence1_after_v2_was_rolled_back_a_failing_v3_rolls_back_to_v1_and_v2_is_refused_as_a_target()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var planner = h.Services.GetRequiredService<RollbackPlanner>();
        await h.RecordAsync("1.0.0", WorkflowHarness.Digest('a'), ReleaseStatus.Verified, "7");
        await h.RecordAsync("1.1.0", WorkflowHarness.Digest('b'), ReleaseStatus.Verified, "7", current: true);

        // v2 degrades: a rollback pins v1 and marks v2 known bad; it succeeds.
        await h.Ledger.MarkRolledBackAsync(WorkflowHarness.Component, "1.1.0", "rb-seq1");
        await h.Components.CompleteSucceededAsync(WorkflowHarness.Component, "rb-seq1", "1.0.0");

        // Later v3 is deployed and fails.
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Deployed, "7", current: true);

        var chosen = await planner.PlanAsync(WorkflowHarness.Component, null, CancellationToken.None);
        Assert.True(chosen.Accepted, chosen.RejectionReason);
        Assert.Equal("1.2.0", chosen.CurrentVersion);
        Assert.Equal("1.0.0", chosen.Target!.Version);
        Assert.Contains(chosen.Preconditions, c => c is { Name: RollbackPlanner.TargetNotRolledBack, Passed: true });
        Assert.Contains("Skipped as known bad: 1.1.0 (rolled back by rb-seq1)", Check(chosen, RollbackPlanner.TargetIdentified).Reason, StringComparison.Ordinal);

        var explicitBad = await planner.PlanAsync(WorkflowHarness.Component, "1.1.0", CancellationToken.None);
        Assert.False(explicitBad.Accepted);
        Assert.Equal("1.1.0", explicitBad.Target!.Version);
        var refused = Check(explicitBad, RollbackPlanner.TargetNotRolledBack);
        Assert.False(refused.Passed);
        Assert.Contains("rolled back from by rollback rb-seq1", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(refused.Reason, explicitBad.RejectionReason);
        Assert.Empty(h.Api.Requests);
    }

    [Fact]
    public async Task When_the_only_older_Verified_release_was_rolled_back_there_is_no_automatic_target()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var planner = h.Services.GetRequiredService<RollbackPlanner>();
        await h.RecordAsync("1.1.0", WorkflowHarness.Digest('b'), ReleaseStatus.Verified, "7");
        await h.Ledger.MarkRolledBackAsync(WorkflowHarness.Component, "1.1.0", "rb-old");
        await h.RecordAsync("1.2.0", WorkflowHarness.Digest('c'), ReleaseStatus.Deployed, "7", current: true);

        var plan = await planner.PlanAsync(WorkflowHarness.Component, null, CancellationToken.None);

        Assert.False(plan.Accepted);
        var identified = Check(plan, RollbackPlanner.TargetIdentified);
        Assert.False(identified.Passed);
        Assert.Contains("None of the 1 release(s) before 1.2.0 is Verified", identified.Reason, StringComparison.Ordinal);
        Assert.Contains("1.1.0 (rolled back by rb-old)", identified.Reason, StringComparison.Ordinal);
    }

    private static PreconditionCheck Check(RollbackPlan plan, string name) => Assert.Single(plan.Preconditions, c => c.Name == name);
}
