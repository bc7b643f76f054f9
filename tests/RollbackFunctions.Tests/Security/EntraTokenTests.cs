using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using RollbackFunctions.Domain;
using RollbackFunctions.Intake;
using RollbackFunctions.Security;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Security;

/// <summary>
/// Entra ID bearer tokens on the dev host: JwtBearer reads the authority's OpenID metadata and keys from a loopback
/// issuer this test runs, and validates real RS256 tokens it signs. App roles come from the <c>roles</c> claim.
/// </summary>
public sealed class EntraTokenTests
{
    private const string OliviaId = "0b8a6f52-3c1d-4e8a-9f7b-5d2c1a0e9b31";

    [Fact]
    public async Task A_valid_token_with_the_role_is_accepted_and_the_role_decides()
    {
        await using var issuer = await LoopbackOpenIdIssuer.StartAsync();
        await using var host = await StartAsync(issuer);

        var reader = issuer.Token("Rita Reader", "11111111-2222-3333-4444-555555555555", [RollbackRoles.Reader]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, "api/components/shop", reader)).StatusCode);
        Assert.True(issuer.MetadataRequests >= 1, "the host never read the issuer's metadata");

        // The same caller may not record releases: 403 naming the role it needs and the one it has.
        var problem = await IntakeTestHost.ProblemAsync(await SendAsync(host, HttpMethod.Post, "api/releases", reader, "{}"), HttpStatusCode.Forbidden);
        var title = problem.GetProperty("title").GetString()!;
        Assert.Contains("Pipeline", title, StringComparison.Ordinal);
        Assert.Contains("Rita Reader", title, StringComparison.Ordinal);
        Assert.Contains("Reader", title, StringComparison.Ordinal);

        var pipeline = issuer.Token("deploy-pipeline", "99999999-2222-3333-4444-555555555555", [RollbackRoles.Pipeline]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, "api/components/shop/gate", pipeline)).StatusCode);
        await IntakeTestHost.ProblemAsync(await SendAsync(host, HttpMethod.Get, "api/components/shop", pipeline), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Expired_wrong_audience_wrong_issuer_foreign_signature_and_missing_role_are_refused()
    {
        await using var issuer = await LoopbackOpenIdIssuer.StartAsync();
        await using var host = await StartAsync(issuer);
        using var stranger = RSA.Create(2048);
        var refused = new (string Case, string Token, HttpStatusCode Status, string Says)[]
        {
            ("expired", issuer.Token("Rita Reader", OliviaId, [RollbackRoles.Reader], expires: DateTime.UtcNow.AddHours(-1)), HttpStatusCode.Unauthorized, "expired"),
            ("wrong audience", issuer.Token("Rita Reader", OliviaId, [RollbackRoles.Reader], audience: "api://someone-else"), HttpStatusCode.Unauthorized, "audience"),
            ("wrong issuer", issuer.Token("Rita Reader", OliviaId, [RollbackRoles.Reader], issuer: "https://login.example.test/other-tenant/v2.0"), HttpStatusCode.Unauthorized, "issuer"),
            ("foreign signature", issuer.Token("Rita Reader", OliviaId, [RollbackRoles.Reader], signingKey: stranger), HttpStatusCode.Unauthorized, "signature"),
            ("not a token", "not-a-jwt", HttpStatusCode.Unauthorized, "not valid"),
            ("missing role", issuer.Token("Rita Reader", OliviaId, []), HttpStatusCode.Forbidden, "no role"),
        };

        foreach (var (name, token, status, says) in refused)
        {
            var problem = await IntakeTestHost.ProblemAsync(await SendAsync(host, HttpMethod.Get, "api/components/shop", token), status);
            Assert.True(problem.GetProperty("title").GetString()!.Contains(says, StringComparison.Ordinal), $"{name}: {problem}");
        }
    }

    [Fact]
    public async Task Confirm_records_the_tokens_name_and_object_id_and_a_body_naming_someone_else_is_403()
    {
        await using var issuer = await LoopbackOpenIdIssuer.StartAsync();
        await using var host = await StartAsync(issuer);
        await host.SeedReleasesAsync();
        var olivia = issuer.Token("Olivia Operator", OliviaId, [RollbackRoles.Operator]);
        var accepted = await IntakeTestHost.BodyAsync(await host.PostAsync("api/rollbacks", new { component = "shop", reason = "SmokeTestsFailed", requestedBy = "pipeline" }));
        var rollbackId = accepted.GetProperty("rollbackId").GetString()!;
        await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);

        var impostor = await SendAsync(host, HttpMethod.Post, $"api/rollbacks/{rollbackId}/confirm", olivia, """{"operator":"definitely-a-human"}""");
        var problem = await IntakeTestHost.ProblemAsync(impostor, HttpStatusCode.Forbidden);
        Assert.True(problem.GetProperty("errors").TryGetProperty("operator", out _));
        Assert.Equal(RollbackPhase.AwaitingConfirmation.ToString(), (await IntakeTestHost.BodyAsync(await host.Http.GetAsync($"api/rollbacks/{rollbackId}"))).GetProperty("phase").GetString());

        // Her own name, in another case, is her; so is leaving it out.
        var confirmed = await SendAsync(host, HttpMethod.Post, $"api/rollbacks/{rollbackId}/confirm", olivia, """{"operator":"olivia operator","note":"checkout works"}""");
        Assert.Equal(HttpStatusCode.Accepted, confirmed.StatusCode);
        var answer = await IntakeTestHost.BodyAsync(confirmed);
        Assert.Equal(("Olivia Operator", OliviaId), (answer.GetProperty("confirmedBy").GetString(), answer.GetProperty("confirmedByObjectId").GetString()));

        var ended = await host.WaitForPhaseAsync(rollbackId, null);
        Assert.Equal("Succeeded", ended.GetProperty("outcome").GetString());
        Assert.Equal("Olivia Operator", ended.GetProperty("confirmedBy").GetString());
        Assert.Equal(OliviaId, ended.GetProperty("confirmedByObjectId").GetString());
        var record = (await host.Audit.GetRollbackAsync(rollbackId))!;
        Assert.Equal(("Olivia Operator", OliviaId), (record.ConfirmedBy, record.ConfirmedByObjectId));
    }

    [Fact]
    public async Task Unfreeze_records_the_tokens_identity_without_an_operator_field_and_refuses_another_name()
    {
        await using var issuer = await LoopbackOpenIdIssuer.StartAsync();
        await using var host = await StartAsync(issuer);
        await host.SeedReleasesAsync();
        await host.Components.FreezeAsync("shop", "shop-20260101000000-abcdef0123", "rollback TimedOut");
        var olivia = issuer.Token("Olivia Operator", OliviaId, [RollbackRoles.Operator]);

        var impostor = await SendAsync(host, HttpMethod.Post, "api/components/shop/unfreeze", olivia, """{"operator":"lead@example.test","incidentRef":"INC-9","analysis":"fixed"}""");
        await IntakeTestHost.ProblemAsync(impostor, HttpStatusCode.Forbidden);
        Assert.True((await host.Components.GetAsync("shop")).IsFrozen);

        var unfrozen = await SendAsync(host, HttpMethod.Post, "api/components/shop/unfreeze", olivia, """{"incidentRef":"INC-9","analysis":"bad config map; fixed"}""");
        Assert.Equal(HttpStatusCode.OK, unfrozen.StatusCode);
        var state = await host.Components.GetAsync("shop");
        Assert.False(state.IsFrozen);
        Assert.Equal(("Olivia Operator", OliviaId), (state.LastUnfreeze!.Operator, state.LastUnfreeze.OperatorObjectId));
        var audit = Assert.Single(await host.Signals.ListAsync("shop", CancellationToken.None), s => s.Kind == "unfreeze");
        Assert.Equal(("Olivia Operator", OliviaId), (audit.Fields["Operator"], audit.Fields["OperatorObjectId"]));
    }

    [Fact]
    public async Task A_named_key_is_its_holder_on_unfreeze_and_a_bare_key_is_recorded_as_itself_never_as_a_typed_name()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => RouteCalls.AddRoleKeys(settings));
        await host.Components.FreezeAsync("shop", "shop-20260101000000-abcdef0123", "rollback Failed");
        var operatorKey = RouteCalls.Key(RollbackRoles.Operator);

        using var impostor = new HttpRequestMessage(HttpMethod.Post, "api/components/shop/unfreeze") { Content = IntakeTestHost.Json("""{"operator":"definitely-a-human","incidentRef":"INC-1","analysis":"x"}""") };
        impostor.Headers.Add(ApiKeyCallers.HeaderName, operatorKey);
        await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(impostor), HttpStatusCode.Forbidden);

        // A bare key names nobody: the name in the body is not checked and not recorded; the key is, by its fingerprint.
        var bare = await host.PostAsync("api/components/shop/unfreeze", new { @operator = "definitely-a-human", incidentRef = "INC-1", analysis = "x" });
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        var unfrozenByBareKey = (await host.Components.GetAsync("shop")).LastUnfreeze!;
        Assert.Equal((ApiKeyEntries.Fingerprint(IntakeTestHost.ApiKey), (string?)null), (unfrozenByBareKey.Operator, unfrozenByBareKey.OperatorObjectId));
        Assert.DoesNotContain(await host.Signals.ListAsync("shop", CancellationToken.None), s => s.Fields.Values.Contains("definitely-a-human"));
        await host.Components.FreezeAsync("shop", "shop-20260101000000-abcdef0124", "rollback Failed");

        using var keyed = new HttpRequestMessage(HttpMethod.Post, "api/components/shop/unfreeze") { Content = IntakeTestHost.Json("""{"incidentRef":"INC-1","analysis":"registry outage; fixed"}""") };
        keyed.Headers.Add(ApiKeyCallers.HeaderName, operatorKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.SendAsync(keyed)).StatusCode);
        var state = await host.Components.GetAsync("shop");
        Assert.Equal((RouteCalls.KeyName(RollbackRoles.Operator), (string?)null), (state.LastUnfreeze!.Operator, state.LastUnfreeze.OperatorObjectId));
    }

    private static Task<IntakeTestHost> StartAsync(LoopbackOpenIdIssuer issuer) => IntakeTestHost.StartAsync(settings =>
    {
        settings["RollbackApi:Entra:Authority"] = issuer.Issuer;
        settings["RollbackApi:Entra:Audience"] = LoopbackOpenIdIssuer.Audience;
    });

    private static Task<HttpResponseMessage> SendAsync(IntakeTestHost host, HttpMethod method, string path, string token, string? json = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : IntakeTestHost.Json(json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return host.Anonymous.SendAsync(request);
    }
}
