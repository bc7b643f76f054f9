using System.Net;
using RollbackFunctions.Domain;
using RollbackFunctions.Simulators;

namespace RollbackFunctions.Tests.Intake;

/// <summary><c>POST /api/rollbacks/{id}/abort</c> (API.md "Operator actions"): on the real engine, over HTTP.</summary>
public sealed class AbortTests
{
    [Fact]
    public async Task Aborted_while_deploying_ends_Aborted_cancels_the_deployment_freezes_escalates_and_a_second_abort_is_409()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        host.Api.DefaultScript = DeploymentScript.RunForever();
        var started = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "pipeline" }));
        var rollbackId = started.GetProperty("rollbackId").GetString()!;
        await host.WaitForPhaseAsync(rollbackId, RollbackPhase.Deploying);
        await WaitUntilAsync(() => host.Api.StatusRequests > 0, "the deployment was never polled");
        var deploymentId = Assert.Single(host.Api.Deployments).DeploymentId;

        var abortedAt = DateTimeOffset.UtcNow;
        var response = await host.PostAsync($"api/rollbacks/{rollbackId}/abort", new { reason = "wrong component targeted, stopping" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await IntakeTestHost.BodyAsync(response);
        var abortedBy = accepted.GetProperty("abortedBy").GetString()!;
        Assert.StartsWith("key sha256:", abortedBy, StringComparison.Ordinal);
        Assert.DoesNotContain(IntakeTestHost.ApiKey, abortedBy, StringComparison.Ordinal);
        var ended = await host.WaitForPhaseAsync(rollbackId, null, TimeSpan.FromSeconds(30));
        Assert.Equal("Aborted", ended.GetProperty("outcome").GetString());
        Assert.True(ended.GetProperty("endedAt").GetDateTimeOffset() - abortedAt < TimeSpan.FromSeconds(20), "the abort took effect within seconds");
        var abort = ended.GetProperty("abort");
        Assert.Equal((abortedBy, "wrong component targeted, stopping"), (abort.GetProperty("by").GetString(), abort.GetProperty("reason").GetString()));
        Assert.Contains("wrong component targeted, stopping", ended.GetProperty("outcomeReason").GetString(), StringComparison.Ordinal);

        // The in-flight deployment was cancelled through the provider, and nothing else was requested.
        Assert.Equal([deploymentId], host.Api.CancelledDeploymentIds);
        Assert.Equal(1, host.Api.StartRequests);
        var names = ended.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("AbortRequested", names);
        Assert.Contains("DeploymentCancel", names);
        Assert.Contains("ComponentFrozen", names);
        Assert.True(names.IndexOf("AbortRequested") < names.IndexOf("DeploymentCancel"));

        // Frozen and escalated like every end but Succeeded.
        var state = await host.Components.GetAsync("shop");
        Assert.True(state.IsFrozen);
        Assert.Null(state.ActiveRollbackId);
        var incident = Assert.Single(host.Incidents.Accepted);
        Assert.Equal((rollbackId, "Aborted"), (incident.Text("rollbackId"), incident.Text("outcome")));

        var again = await host.PostAsync($"api/rollbacks/{rollbackId}/abort", new { reason = "again" });
        var conflict = await IntakeTestHost.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal("Aborted", conflict.GetProperty("phase").GetString());
        Assert.Single(host.Api.CancelledDeploymentIds);
    }

    [Fact]
    public async Task Aborted_while_awaiting_confirmation_ends_Aborted_with_nothing_to_cancel()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var started = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "pipeline" }));
        var rollbackId = started.GetProperty("rollbackId").GetString()!;
        await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);

        var response = await host.PostAsync($"api/rollbacks/{rollbackId}/abort", new { reason = "customers still see errors" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ended = await host.WaitForPhaseAsync(rollbackId, null, TimeSpan.FromSeconds(30));
        Assert.Equal("Aborted", ended.GetProperty("outcome").GetString());
        Assert.Equal(0, host.Api.CancelRequests);
        Assert.True((await host.Components.GetAsync("shop")).IsFrozen);
        Assert.Equal("Aborted", Assert.Single(host.Incidents.Accepted).Text("outcome"));
    }

    [Fact]
    public async Task Aborting_an_unknown_rollback_is_404()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var response = await host.PostAsync("api/rollbacks/shop-20260101000000-abcdef0123/abort", new { reason = "stop" });

        await IntakeTestHost.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(0, await host.EntityCountAsync());
    }

    [Theory]
    [InlineData("{}", "reason")]
    [InlineData("{\"reason\":\"\"}", "reason")]
    [InlineData("{\"reason\":\"stop\",\"operator\":\"someone\"}", null)]
    public async Task An_abort_body_without_a_reason_or_with_unknown_fields_is_400_and_changes_nothing(string body, string? field)
    {
        await using var host = await IntakeTestHost.StartAsync();

        var response = await host.Http.PostAsync("api/rollbacks/shop-20260101000000-abcdef0123/abort", IntakeTestHost.Json(body));

        var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.BadRequest);
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        Assert.Equal(0, await host.EntityCountAsync());
        Assert.Equal(0, await host.InstanceCountAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, because);
            await Task.Delay(25);
        }
    }
}
