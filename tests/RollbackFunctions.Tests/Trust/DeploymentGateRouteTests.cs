using System.Net;
using RollbackFunctions.Domain;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Trust;

/// <summary>
/// <c>GET /api/components/{component}/gate</c> over real HTTP (API.md "The deployment gate", section 11: no further
/// changes are applied): closed while a rollback is active and while the component is frozen, open again only after
/// an operator unfreezes it.
/// </summary>
public sealed class DeploymentGateRouteTests
{
    [Fact]
    public async Task Section11_the_gate_closes_during_a_rollback_stays_closed_while_frozen_and_opens_after_unfreeze()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();

        var open = await GateAsync(host);
        Assert.True(open.GetProperty("open").GetBoolean());
        Assert.Equal("shop", open.GetProperty("component").GetString());

        // Slow enough that the gate is read while the rollback is still active.
        host.Api.DefaultScript = DeploymentScript.Fail(latency: TimeSpan.FromMilliseconds(700));
        var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "oncall" }));
        var rollbackId = accepted.GetProperty("rollbackId").GetString()!;
        var during = await GateAsync(host);
        var ended = await host.WaitForPhaseAsync(rollbackId, RollbackPhase.Failed, TimeSpan.FromSeconds(30));
        Assert.False(during.GetProperty("open").GetBoolean());
        Assert.Equal(rollbackId, during.GetProperty("activeRollbackId").GetString());

        var frozen = await GateAsync(host);
        Assert.False(frozen.GetProperty("open").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, frozen.GetProperty("frozenSince").ValueKind);
        Assert.Contains("unfreeze", frozen.GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Failed", ended.GetProperty("outcome").GetString());

        var unfrozen = await host.PostAsync("api/components/shop/unfreeze", new { @operator = "lead@example.test", incidentRef = "INC-9", analysis = "bad config map; fixed" });
        Assert.Equal(HttpStatusCode.OK, unfrozen.StatusCode);
        Assert.True((await GateAsync(host)).GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task The_gate_of_an_unknown_component_is_a_problem_and_without_a_key_it_is_401()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var unknown = await IntakeTestHost.ProblemAsync(await host.Http.GetAsync("api/components/billing/gate"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("billing", unknown.ToString(), StringComparison.Ordinal);
        await IntakeTestHost.ProblemAsync(await host.Anonymous.GetAsync("api/components/shop/gate"), HttpStatusCode.Unauthorized);
    }

    private static async Task<System.Text.Json.JsonElement> GateAsync(IntakeTestHost host)
    {
        var response = await host.Http.GetAsync("api/components/shop/gate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await IntakeTestHost.BodyAsync(response);
    }
}
