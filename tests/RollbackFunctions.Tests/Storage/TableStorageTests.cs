using Azure;
using Azure.Data.Tables;
using RollbackFunctions.Domain;
using RollbackFunctions.Storage;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Storage;

public sealed class TableStorageTests
{
    [Fact]
    public async Task Entity_is_written_read_and_updated_only_with_the_current_etag()
    {
        var tables = Azurite.CreateTables();
        var table = await tables.ComponentsAsync();

        await table.AddEntityAsync(new TableEntity("checkout", "probe") { ["Value"] = 1 });
        var read = (await table.GetEntityAsync<TableEntity>("checkout", "probe")).Value;
        Assert.Equal(1, read.GetInt32("Value"));

        read["Value"] = 2;
        await table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace);

        read["Value"] = 3;
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace));
        Assert.Equal(412, stale.Status);
        Assert.Equal(2, (await table.GetEntityAsync<TableEntity>("checkout", "probe")).Value.GetInt32("Value"));
    }

    [Fact]
    public async Task Concurrent_claims_on_one_component_elect_exactly_one_active_rollback()
    {
        var store = new ComponentStateStore(Azurite.CreateTables(), TimeProvider.System);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => store.TryClaimAsync("checkout", $"rb-{i}")));

        var winners = claims.Where(c => c.Outcome == ClaimOutcome.Claimed).ToList();
        Assert.Single(winners);
        var state = await store.GetAsync("checkout");
        Assert.Equal(winners[0].State.ActiveRollbackId, state.ActiveRollbackId);
        Assert.All(claims.Where(c => c.Outcome == ClaimOutcome.AlreadyActive), c => Assert.Equal(state.ActiveRollbackId, c.State.ActiveRollbackId));
    }

    [Fact]
    public async Task Frozen_component_refuses_claims_until_unfrozen_with_analysis()
    {
        var store = new ComponentStateStore(Azurite.CreateTables(), TimeProvider.System);
        Assert.Equal(ClaimOutcome.Claimed, (await store.TryClaimAsync("cart", "rb-1")).Outcome);

        var frozen = await store.FreezeAsync("cart", "rb-1", "deployment failed");
        Assert.Null(frozen.ActiveRollbackId);
        Assert.Equal(ClaimOutcome.Frozen, (await store.TryClaimAsync("cart", "rb-2")).Outcome);

        var (outcome, state) = await store.UnfreezeAsync("cart", "ops@example.test", "INC-42", "bad config in v2");
        Assert.Equal(UnfreezeOutcome.Unfrozen, outcome);
        Assert.Equal("rb-1", state.LastUnfreeze!.RollbackId);
        Assert.Equal(ClaimOutcome.Claimed, (await store.TryClaimAsync("cart", "rb-2")).Outcome);
    }

    [Fact]
    public async Task Release_versions_are_immutable_and_status_only_moves_forward()
    {
        var ledger = new ReleaseLedger(Azurite.CreateTables(), TimeProvider.System);
        const string artifact = "registry.example.test/shop@sha256:1111111111111111111111111111111111111111111111111111111111111111";

        Assert.Equal(ReleaseWriteOutcome.Created, (await ledger.RecordAsync("shop", "1.0.0", artifact, ReleaseStatus.Deployed, "7", null)).Outcome);
        Assert.Equal(ReleaseWriteOutcome.Updated, (await ledger.RecordAsync("shop", "1.0.0", artifact, ReleaseStatus.Verified, "7", "abc")).Outcome);
        Assert.Equal(ReleaseWriteOutcome.Unchanged, (await ledger.RecordAsync("shop", "1.0.0", artifact, ReleaseStatus.Deployed, "7", null)).Outcome);
        Assert.Equal(ReleaseWriteOutcome.ArtifactConflict, (await ledger.RecordAsync("shop", "1.0.0", artifact.Replace('1', '2'), ReleaseStatus.Verified, "7", null)).Outcome);

        var stored = await ledger.GetAsync("shop", "1.0.0");
        Assert.Equal(ReleaseStatus.Verified, stored!.Status);
        Assert.Equal(artifact, stored.Artifact);
        Assert.Equal("abc", stored.Commit);
    }

    [Fact]
    public async Task Trigger_id_binds_to_one_rollback_even_when_it_holds_characters_table_keys_forbid()
    {
        var store = new TriggerKeyStore(Azurite.CreateTables(), TimeProvider.System);
        const string alertId = "/subscriptions/0000/providers/Microsoft.AlertsManagement/alerts/abc#1?x";

        var bound = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.BindAsync("shop", TriggerSource.AzureMonitorAlert, alertId, $"rb-{i}")));

        Assert.Single(bound.Distinct());
        Assert.Equal(bound[0], await store.FindAsync("shop", TriggerSource.AzureMonitorAlert, alertId));
    }
}
