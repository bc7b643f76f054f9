using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RollbackFunctions.Gate.GitHub;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Trust;

/// <summary>
/// API.md "The deployment gate" over real HTTP on the intake host: the gate route a pipeline or an Azure DevOps check
/// asks, and the keyless GitHub protection-rule webhook against a loopback GitHub that records callbacks.
/// </summary>
public sealed class GateRouteTests
{
    private const string Environment = "production";

    [Fact]
    public async Task The_gate_is_closed_during_a_rollback_and_while_frozen_and_open_again_only_after_unfreeze()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();

        var open = await GateAsync(host);
        Assert.True(open.GetProperty("open").GetBoolean());
        Assert.Equal(IntakeTestHost.Component, open.GetProperty("component").GetString());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("activeRollbackId").ValueKind);

        // Each call to the deployment API takes 2 s, so the rollback is still active when the gate is asked.
        host.Api.DefaultScript = DeploymentScript.Fail("web unit crashed", latency: TimeSpan.FromSeconds(2));
        var started = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "pipeline" }));
        var rollbackId = started.GetProperty("rollbackId").GetString()!;

        var active = await GateAsync(host);
        Assert.False(active.GetProperty("open").GetBoolean());
        Assert.Equal(rollbackId, active.GetProperty("activeRollbackId").GetString());
        Assert.Contains($"Rollback {rollbackId} is in progress", active.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await host.WaitForPhaseAsync(rollbackId, null);
        var frozen = await GateAsync(host);
        Assert.False(frozen.GetProperty("open").GetBoolean());
        Assert.Equal(JsonValueKind.Null, frozen.GetProperty("activeRollbackId").ValueKind);
        Assert.Equal((await host.Components.GetAsync("shop")).Freeze!.FrozenAt, frozen.GetProperty("frozenSince").GetDateTimeOffset());
        Assert.Contains("/api/components/shop/unfreeze", frozen.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var view = await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"));
        Assert.False(view.GetProperty("gate").GetProperty("open").GetBoolean());
        Assert.Equal(frozen.GetProperty("reason").GetString(), view.GetProperty("gate").GetProperty("reason").GetString());

        var unfrozen = await host.PostAsync("api/components/shop/unfreeze", new { @operator = "lead@example.test", incidentRef = "INC-9", analysis = "bad config map; fixed" });
        Assert.Equal(HttpStatusCode.OK, unfrozen.StatusCode);
        var reopened = await GateAsync(host);
        Assert.True(reopened.GetProperty("open").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("frozenSince").ValueKind);
        Assert.True((await IntakeTestHost.BodyAsync(await host.Http.GetAsync("api/components/shop"))).GetProperty("gate").GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task The_gate_of_an_unknown_component_is_404_an_invalid_name_400_and_no_key_401()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var unknown = await IntakeTestHost.ProblemAsync(await host.Http.GetAsync("api/components/warehouse/gate"), HttpStatusCode.NotFound);
        Assert.Contains("'warehouse' is not configured", unknown.GetProperty("title").GetString(), StringComparison.Ordinal);

        var invalid = await IntakeTestHost.ProblemAsync(await host.Http.GetAsync("api/components/shop%20web/gate"), HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("component", out _));

        await IntakeTestHost.ProblemAsync(await host.Anonymous.GetAsync("api/components/shop/gate"), HttpStatusCode.Unauthorized);
        await IntakeTestHost.ProblemAsync(await host.Anonymous.GetAsync("api/components/shop/gate?code=not-the-key"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync($"api/components/shop/gate?code={IntakeTestHost.ApiKey}")).StatusCode);
    }

    [Fact]
    public async Task A_signed_delivery_needs_no_key_and_is_approved_while_open_and_rejected_with_the_reason_while_frozen()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var host = await StartWithGitHubAsync(github);

        var (body, signature) = github.SignedEvent(Environment, runId: 7001);
        var approved = await DeliverAsync(host, body, signature);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var answer = await IntakeTestHost.BodyAsync(approved);
        Assert.Equal("Approved", answer.GetProperty("outcome").GetString());
        Assert.Equal("shop", answer.GetProperty("component").GetString());
        var review = Assert.Single(github.Reviews);
        Assert.Equal((7001L, Environment, "approved"), (review.RunId, review.EnvironmentName, review.State));

        await host.Components.FreezeAsync("shop", "rb-frozen", "rollback rb-frozen ended Failed: smoke probe home failed");
        var (frozenBody, frozenSignature) = github.SignedEvent(Environment, runId: 7002);
        var rejected = await DeliverAsync(host, frozenBody, frozenSignature);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var rejection = await IntakeTestHost.BodyAsync(rejected);
        Assert.Equal("Rejected", rejection.GetProperty("outcome").GetString());
        Assert.False(rejection.GetProperty("gate").GetProperty("open").GetBoolean());
        Assert.Equal(2, github.Reviews.Count);
        var rejectReview = github.Reviews.Last();
        Assert.Equal((7002L, "rejected"), (rejectReview.RunId, rejectReview.State));
        Assert.Contains("rollback rb-frozen ended Failed: smoke probe home failed", rejectReview.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsigned_and_wrongly_signed_deliveries_are_401_and_nothing_is_called_back()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var host = await StartWithGitHubAsync(github);
        var (body, _) = github.SignedEvent(Environment, runId: 7003);
        var (_, otherSecret) = github.SignedEvent(Environment, runId: 7003, secret: "not-the-apps-secret-0123456789");

        foreach (var signature in new string?[] { null, otherSecret, "sha256=" + new string('0', 64) })
        {
            var refused = await IntakeTestHost.ProblemAsync(await DeliverAsync(host, body, signature), HttpStatusCode.Unauthorized);
            Assert.Contains(GitHubWebhookSignature.HeaderName, refused.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        // The function key is no substitute for the signature.
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "api/github/deployment-protection") { Content = new ByteArrayContent(body) };
        withKey.Headers.Add(GitHubDeploymentProtectionHandler.EventHeaderName, GitHubDeploymentProtectionHandler.ProtectionRuleEvent);
        await IntakeTestHost.ProblemAsync(await host.Http.SendAsync(withKey), HttpStatusCode.Unauthorized);

        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task An_environment_mapped_to_no_component_is_422_and_nothing_is_called_back()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var host = await StartWithGitHubAsync(github);
        var (body, signature) = github.SignedEvent("staging", runId: 7004);

        var problem = await IntakeTestHost.ProblemAsync(await DeliverAsync(host, body, signature), HttpStatusCode.UnprocessableEntity);

        Assert.Contains("Rollback:GitHubProtection:Environments:staging", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task Without_a_protection_section_the_route_is_404_problem_details()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var host = await IntakeTestHost.StartAsync();
        var (body, signature) = github.SignedEvent(Environment, runId: 7005);

        await IntakeTestHost.ProblemAsync(await DeliverAsync(host, body, signature), HttpStatusCode.NotFound);
        Assert.Empty(github.Requests);
    }

    private static async Task<JsonElement> GateAsync(IntakeTestHost host)
    {
        var response = await host.Http.GetAsync("api/components/shop/gate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await IntakeTestHost.BodyAsync(response);
    }

    /// <summary>As GitHub delivers: no function key, the event name and the signature over the raw body.</summary>
    private static Task<HttpResponseMessage> DeliverAsync(IntakeTestHost host, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/github/deployment-protection") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(GitHubDeploymentProtectionHandler.EventHeaderName, GitHubDeploymentProtectionHandler.ProtectionRuleEvent);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.Add(GitHubWebhookSignature.HeaderName, signature);
        }

        return host.Anonymous.SendAsync(request);
    }

    private static Task<IntakeTestHost> StartWithGitHubAsync(FakeGitHubProtection github) => IntakeTestHost.StartAsync(s =>
    {
        s["Rollback:GitHubProtection:WebhookSecret"] = FakeGitHubProtection.WebhookSecret;
        s["Rollback:GitHubProtection:ApiBaseUrl"] = github.BaseUri.AbsoluteUri;
        s["Rollback:GitHubProtection:AppId"] = FakeGitHubProtection.AppId;
        s["Rollback:GitHubProtection:PrivateKey"] = github.PrivateKeyPem;
        s["Rollback:GitHubProtection:RetryBaseDelay"] = "00:00:00.010";
        s["Rollback:GitHubProtection:Environments:" + Environment] = IntakeTestHost.Component;
    });
}
