using System.Net;
using System.Text.Json;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Tests.Intake;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Trust;

/// <summary>
/// API.md "Trust rules" and "The deployment gate" at the release intake, over real HTTP: a RolledBack version stays
/// known bad whatever a pipeline reports, and a deployment that lands while the gate is closed is kept, flagged and
/// escalated once.
/// </summary>
public sealed class ReleaseTrustIntakeTests
{
    private const string RollbackId = "rb-known-bad-1";

    [Fact]
    public async Task Verified_for_a_rolled_back_version_is_409_naming_the_rollback_and_changes_nothing()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var marked = (await host.Ledger.MarkRolledBackAsync("shop", "1.2.0", RollbackId)).Release!;

        var problem = await IntakeTestHost.ProblemAsync(await host.PostAsync("api/releases", Payloads.Release("1.2.0", 'c', "Verified")), HttpStatusCode.Conflict);

        Assert.Contains($"rollback {RollbackId} rolled it back", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(RollbackId, problem.GetProperty("rolledBackBy").GetString());
        Assert.Equal(marked.RolledBackAt, problem.GetProperty("rolledBackAt").GetDateTimeOffset());
        Assert.Equal(marked, await host.Ledger.GetAsync("shop", "1.2.0"));
        Assert.NotEqual("1.2.0", (await host.Components.GetAsync("shop")).LastKnownGoodVersion);
    }

    [Fact]
    public async Task A_pipeline_cannot_record_status_RolledBack_on_the_route_or_as_an_event_type()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var before = await host.EntityCountAsync();

        var problem = await IntakeTestHost.ProblemAsync(await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "RolledBack")), HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("status").EnumerateArray()).GetString();
        Assert.Contains("only a rollback marks a version rolled back", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Rollback.Release.RolledBack", EventTypes.All);

        var batch = new[] { Payloads.CloudEvent("rb-type-1", "Rollback.Release.RolledBack", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d') }) };
        var refused = await IntakeTestHost.ProblemAsync(await host.PostAsync("api/events", batch), HttpStatusCode.BadRequest);
        Assert.Contains(refused.GetProperty("errors").EnumerateObject(), e => e.Name.EndsWith(".type", StringComparison.Ordinal));

        Assert.Null(await host.Ledger.GetAsync("shop", "2.0.0"));
        Assert.Equal(before, await host.EntityCountAsync());
    }

    [Fact]
    public async Task An_event_batch_that_would_verify_a_rolled_back_version_is_refused_whole()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        await host.Ledger.MarkRolledBackAsync("shop", "1.2.0", RollbackId);

        var batch = new[]
        {
            Payloads.CloudEvent("ok-deploy", "Rollback.Release.Deployed", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d'), schemaVersion = "7" }),
            Payloads.CloudEvent("bad-verify", "Rollback.Release.Verified", new { component = "shop", version = "1.2.0", artifact = IntakeTestHost.Digest('c') }),
        };
        var problem = await IntakeTestHost.ProblemAsync(await host.PostAsync("api/events", batch), HttpStatusCode.Conflict);

        Assert.Contains("bad-verify", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(RollbackId, problem.GetProperty("rolledBackBy").GetString());
        Assert.Null(await host.Ledger.GetAsync("shop", "2.0.0"));
        Assert.False(await host.Signals.WasEventAppliedAsync("shop", "ok-deploy", CancellationToken.None));
        Assert.Equal(ReleaseStatus.RolledBack, (await host.Ledger.GetAsync("shop", "1.2.0"))!.Status);
        Assert.Equal("1.2.0", (await host.Components.GetAsync("shop")).CurrentVersion);
    }

    [Fact]
    public async Task The_ledger_the_component_view_and_the_dry_run_plan_show_the_rolled_back_versions()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var marked = (await host.Ledger.MarkRolledBackAsync("shop", "1.1.0", RollbackId)).Release!;

        var ledger = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/releases/shop"));
        var release = Assert.Single(ledger.GetProperty("releases").EnumerateArray(), r => r.GetProperty("version").GetString() == "1.1.0");
        Assert.Equal("RolledBack", release.GetProperty("status").GetString());
        Assert.Equal(RollbackId, release.GetProperty("rolledBackBy").GetString());
        Assert.Equal(marked.RolledBackAt, release.GetProperty("rolledBackAt").GetDateTimeOffset());
        Assert.All(ledger.GetProperty("releases").EnumerateArray().Where(r => r.GetProperty("version").GetString() != "1.1.0"),
            r => Assert.Equal(JsonValueKind.Null, r.GetProperty("rolledBackBy").ValueKind));

        var view = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        var known = Assert.Single(view.GetProperty("rolledBackVersions").EnumerateArray());
        Assert.Equal(("1.1.0", RollbackId), (known.GetProperty("version").GetString(), known.GetProperty("rolledBackBy").GetString()));

        // Explicitly asked for, the rolled-back version fails TargetNotRolledBack; chosen, the planner passes over it.
        var explicitPlan = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/rollback-plan?targetVersion=1.1.0"));
        Assert.False(explicitPlan.GetProperty("accepted").GetBoolean());
        var check = Assert.Single(explicitPlan.GetProperty("preconditions").EnumerateArray(), p => p.GetProperty("name").GetString() == RollbackPlanner.TargetNotRolledBack);
        Assert.False(check.GetProperty("passed").GetBoolean());
        Assert.Contains(RollbackId, check.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("1.1.0", Assert.Single(explicitPlan.GetProperty("rolledBackVersions").EnumerateArray()).GetProperty("version").GetString());

        var chosenPlan = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop/rollback-plan"));
        Assert.True(chosenPlan.GetProperty("accepted").GetBoolean(), chosenPlan.ToString());
        Assert.Equal("1.0.0", chosenPlan.GetProperty("target").GetProperty("version").GetString());
        Assert.True(Assert.Single(chosenPlan.GetProperty("preconditions").EnumerateArray(), p => p.GetProperty("name").GetString() == RollbackPlanner.TargetNotRolledBack)
            .GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task A_deployment_onto_a_frozen_component_is_recorded_flagged_and_escalated_once()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        await host.Components.FreezeAsync("shop", "rb-frozen", "rollback rb-frozen ended Failed: smoke probe home failed");

        var created = await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "Deployed"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((await IntakeTestHost.BodyAsync(created)).GetProperty("deployedWhileGateClosed").GetBoolean());
        var repeated = await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "Deployed"));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);

        var record = (await host.Ledger.GetAsync("shop", "2.0.0"))!;
        Assert.Equal(ReleaseStatus.Deployed, record.Status);
        Assert.True(record.DeployedWhileGateClosed);
        Assert.Contains("rollback rb-frozen ended Failed", record.GateClosedReason, StringComparison.Ordinal);
        Assert.NotNull(record.GateClosedEscalatedAt);

        var incident = Assert.Single(host.Incidents.Accepted);
        Assert.Equal(ReleaseHandler.GateClosedIncidentId("shop", "2.0.0"), incident.IdempotencyKey);
        Assert.Contains("A deployment landed on shop while its deployment gate was closed", incident.Text("reason"), StringComparison.Ordinal);
        Assert.Contains("rollback rb-frozen ended Failed: smoke probe home failed", incident.Text("reason"), StringComparison.Ordinal);

        // It is what runs, so it is current; the freeze stays until an operator lifts it.
        var view = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.Equal("2.0.0", view.GetProperty("currentVersion").GetString());
        Assert.True(view.GetProperty("frozen").GetBoolean());
        Assert.False(view.GetProperty("gate").GetProperty("open").GetBoolean());
        Assert.True(view.GetProperty("deployedWhileGateClosed").GetBoolean());
        var landed = Assert.Single(view.GetProperty("gateClosedDeployments").EnumerateArray());
        Assert.Equal(("2.0.0", true), (landed.GetProperty("version").GetString(), landed.GetProperty("escalated").GetBoolean()));

        // The same deployment as an event, delivered twice: no second escalation either.
        var deployed = new[] { Payloads.CloudEvent("gate-closed-1", "Rollback.Release.Deployed", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d') }) };
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("api/events", deployed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("api/events", deployed)).StatusCode);
        Assert.Single(host.Incidents.Accepted);
    }

    [Fact]
    public async Task A_deployment_with_the_gate_open_is_not_flagged_and_escalates_nothing()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();

        var created = await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "Deployed"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False((await IntakeTestHost.BodyAsync(created)).GetProperty("deployedWhileGateClosed").GetBoolean());
        Assert.False((await host.Ledger.GetAsync("shop", "2.0.0"))!.DeployedWhileGateClosed);
        Assert.Empty(host.Incidents.Attempts);
        var view = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.False(view.GetProperty("deployedWhileGateClosed").GetBoolean());
        Assert.Empty(view.GetProperty("gateClosedDeployments").EnumerateArray());
    }

    [Fact]
    public async Task An_escalation_that_cannot_be_delivered_is_503_and_the_retry_escalates_once()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        await host.Components.TryClaimAsync("shop", "rb-active");
        host.Incidents.FailAll = true;

        var failed = await IntakeTestHost.ProblemAsync(await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "Deployed")), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("was recorded", failed.GetProperty("title").GetString(), StringComparison.Ordinal);
        var record = (await host.Ledger.GetAsync("shop", "2.0.0"))!;
        Assert.True(record.DeployedWhileGateClosed);
        Assert.Contains("Rollback rb-active is in progress", record.GateClosedReason, StringComparison.Ordinal);
        Assert.Null(record.GateClosedEscalatedAt);

        host.Incidents.FailAll = false;
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "Deployed"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("api/releases", Payloads.Release("2.0.0", 'd', "Deployed"))).StatusCode);
        var incident = Assert.Single(host.Incidents.Accepted);
        Assert.Contains("Rollback rb-active is in progress", incident.Text("reason"), StringComparison.Ordinal);
        Assert.NotNull((await host.Ledger.GetAsync("shop", "2.0.0"))!.GateClosedEscalatedAt);
    }
}
