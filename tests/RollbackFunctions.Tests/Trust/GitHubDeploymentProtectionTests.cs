using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Gate;
using RollbackFunctions.Gate.GitHub;
using RollbackFunctions.Tests.Deployment.Fakes;
using RollbackFunctions.Tests.Workflow;

namespace RollbackFunctions.Tests.Trust;

/// <summary>
/// The GitHub custom deployment protection rule over the gate, against a loopback GitHub that signs events, issues
/// installation tokens for the App's JWT and records the reviews posted to the callback URL.
/// </summary>
public sealed class GitHubDeploymentProtectionTests
{
    private const string Environment = "production";
    private const string Event = GitHubDeploymentProtectionHandler.ProtectionRuleEvent;

    [Fact]
    public async Task A_signed_event_with_the_gate_open_is_approved_through_the_callback()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        var (body, signature) = github.SignedEvent(Environment, runId: 5001);

        var result = await Handler(h).HandleAsync(Event, signature, body, CancellationToken.None);

        Assert.Equal(DeploymentProtectionOutcome.Approved, result.Outcome);
        Assert.Equal((Environment, WorkflowHarness.Component), (result.Environment, result.Component));
        var review = Assert.Single(github.Reviews);
        Assert.Equal((5001L, Environment, "approved"), (review.RunId, review.EnvironmentName, review.State));
        Assert.Contains(result.Gate!.Reason, review.Comment, StringComparison.Ordinal);
        Assert.Equal("Bearer " + FakeGitHubProtection.IssuedToken, review.Headers["Authorization"]);
        Assert.Equal("application/vnd.github+json", review.Headers["Accept"]);
        Assert.Equal("2022-11-28", review.Headers["X-GitHub-Api-Version"]);
        Assert.Single(github.RequestsTo(FakeGitHubProtection.AccessToken));
    }

    [Fact]
    public async Task A_frozen_component_is_rejected_with_the_gates_reason()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        await h.Components.FreezeAsync(WorkflowHarness.Component, "rb-frozen", "rollback rb-frozen ended Failed: smoke probe home failed");
        var (body, signature) = github.SignedEvent("Production", runId: 5002);

        var result = await Handler(h).HandleAsync(Event, signature, body, CancellationToken.None);

        Assert.Equal(DeploymentProtectionOutcome.Rejected, result.Outcome);
        var review = Assert.Single(github.Reviews);
        Assert.Equal(("Production", "rejected"), (review.EnvironmentName, review.State));
        Assert.Contains("rollback rb-frozen ended Failed: smoke probe home failed", review.Comment, StringComparison.Ordinal);
        Assert.Contains("unfreeze", review.Comment, StringComparison.Ordinal);
        Assert.False(result.Gate!.Open);
    }

    [Fact]
    public async Task Unsigned_or_wrongly_signed_events_are_refused_and_nothing_is_called_back()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        var handler = Handler(h);
        var (body, signature) = github.SignedEvent(Environment, runId: 5003);
        var (_, otherSecret) = github.SignedEvent(Environment, runId: 5003, secret: "not-the-apps-secret-0123456789");
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("5003", "5004", StringComparison.Ordinal));
        var hex = signature["sha256=".Length..];

        string?[] refused = [null, "", otherSecret, "sha1=" + hex, "SHA256=" + hex, "sha256=" + hex[..^2], "sha256=" + hex + "00", "sha256=" + new string('z', 64), hex];
        foreach (var header in refused)
        {
            var result = await handler.HandleAsync(Event, header, body, CancellationToken.None);
            Assert.Equal(DeploymentProtectionOutcome.SignatureInvalid, result.Outcome);
        }

        Assert.Equal(DeploymentProtectionOutcome.SignatureInvalid, (await handler.HandleAsync(Event, signature, tampered, CancellationToken.None)).Outcome);
        Assert.Empty(github.Requests);
        Assert.Empty(github.Reviews);
    }

    [Fact]
    public async Task An_environment_mapped_to_no_component_is_refused_and_nothing_is_called_back()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        var (body, signature) = github.SignedEvent("staging", runId: 5005);

        var result = await Handler(h).HandleAsync(Event, signature, body, CancellationToken.None);

        Assert.Equal(DeploymentProtectionOutcome.UnmappedEnvironment, result.Outcome);
        Assert.Contains("Rollback:GitHubProtection:Environments:staging", result.Reason, StringComparison.Ordinal);
        Assert.Empty(github.Requests);
    }

    [Fact]
    public async Task A_callback_url_off_the_configured_api_host_never_gets_the_token()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var elsewhere = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        var handler = Handler(h);

        foreach (var url in new[]
        {
            elsewhere.CallbackUrl(5006).AbsoluteUri,
            new Uri(github.BaseUri, "repos/contoso/shop/issues/1/comments").AbsoluteUri,
            github.CallbackUrl(5006).AbsoluteUri.Replace("http://", "http://user:pw@", StringComparison.Ordinal),
            "/repos/contoso/shop/actions/runs/5006/deployment_protection_rule",
        })
        {
            var (body, signature) = github.SignedEvent(Environment, runId: 5006, callbackUrl: url);
            var result = await handler.HandleAsync(Event, signature, body, CancellationToken.None);
            Assert.Equal(DeploymentProtectionOutcome.CallbackUrlRefused, result.Outcome);
        }

        Assert.Empty(github.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task Signed_deliveries_that_are_not_a_requested_rule_or_not_a_payload_do_nothing()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        var handler = Handler(h);
        var (body, signature) = github.SignedEvent(Environment, runId: 5007);
        var ping = Encoding.UTF8.GetBytes("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}");
        var notJson = Encoding.UTF8.GetBytes("{\"action\": ");

        Assert.Equal(DeploymentProtectionOutcome.Ignored, (await handler.HandleAsync("ping", GitHubWebhookSignature.Sign(ping, FakeGitHubProtection.WebhookSecret), ping, CancellationToken.None)).Outcome);
        Assert.Equal(DeploymentProtectionOutcome.InvalidPayload, (await handler.HandleAsync(Event, GitHubWebhookSignature.Sign(notJson, FakeGitHubProtection.WebhookSecret), notJson, CancellationToken.None)).Outcome);
        var completed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"requested\"", "\"completed\"", StringComparison.Ordinal));
        Assert.Equal(DeploymentProtectionOutcome.Ignored, (await handler.HandleAsync(Event, GitHubWebhookSignature.Sign(completed, FakeGitHubProtection.WebhookSecret), completed, CancellationToken.None)).Outcome);
        var noInstallation = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"installation\"", "\"installed\"", StringComparison.Ordinal));
        Assert.Equal(DeploymentProtectionOutcome.InvalidPayload, (await handler.HandleAsync(Event, GitHubWebhookSignature.Sign(noInstallation, FakeGitHubProtection.WebhookSecret), noInstallation, CancellationToken.None)).Outcome);
        Assert.Empty(github.Requests);

        // The same event signed properly still goes through: the refusals above changed nothing.
        Assert.Equal(DeploymentProtectionOutcome.Approved, (await handler.HandleAsync(Event, signature, body, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_failing_callback_is_reported_and_approves_nothing()
    {
        await using var github = await FakeGitHubProtection.StartNewAsync();
        await using var h = await StartAsync(github);
        github.Inject(FakeGitHubProtection.Review, Fault.Answer(503), Fault.Answer(503), Fault.Answer(503));
        var (body, signature) = github.SignedEvent(Environment, runId: 5008);

        var result = await Handler(h).HandleAsync(Event, signature, body, CancellationToken.None);

        Assert.Equal(DeploymentProtectionOutcome.CallbackFailed, result.Outcome);
        Assert.True(result.Transient);
        Assert.DoesNotContain(FakeGitHubProtection.IssuedToken, result.Reason, StringComparison.Ordinal);
        Assert.Empty(github.Reviews);
    }

    [Fact]
    public void GitHubs_documented_signature_example_verifies()
    {
        // The example of GitHub's "Validating webhook deliveries".
        var body = Encoding.UTF8.GetBytes("Hello, World!");
        const string secret = "It's a Secret to Everybody";
        const string expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        Assert.Equal(expected, GitHubWebhookSignature.Sign(body, secret));
        Assert.True(GitHubWebhookSignature.IsValid(expected, body, secret));
        Assert.True(GitHubWebhookSignature.IsValid(expected.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), body, secret));
        Assert.False(GitHubWebhookSignature.IsValid(expected, body, secret + " "));
        Assert.False(GitHubWebhookSignature.IsValid(expected, body, null));
    }

    [Fact]
    public void The_options_are_checked_at_start()
    {
        var rollback = new RollbackOptions { Components = { ["shop"] = new ComponentOptions() } };
        var validator = new GitHubProtectionOptionsValidator(new StaticOptionsMonitor<RollbackOptions>(rollback));

        Assert.True(validator.Validate(null, new GitHubProtectionOptions()).Succeeded);

        var bad = new GitHubProtectionOptions
        {
            WebhookSecret = "short",
            AppId = "1",
            PrivateKey = "not a key",
            ApiBaseUrl = new Uri("http://github.example.test/"),
            Environments = { ["production"] = "warehouse" },
            CallbackDeadline = TimeSpan.FromSeconds(12),
        };
        var failures = validator.Validate(null, bad).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Rollback:GitHubProtection:WebhookSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Rollback:GitHubProtection:PrivateKey", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Rollback:GitHubProtection:ApiBaseUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Rollback:GitHubProtection:Environments:production", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Rollback:GitHubProtection:CallbackDeadline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_with_a_bad_protection_section_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rollback:Components:shop:Kind"] = "Storefront",
            ["Rollback:GitHubProtection:WebhookSecret"] = FakeGitHubProtection.WebhookSecret,
            ["Rollback:GitHubProtection:AppId"] = FakeGitHubProtection.AppId,
            ["Rollback:GitHubProtection:PrivateKey"] = "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----",
            ["Rollback:GitHubProtection:Environments:production"] = "warehouse",
        });
        builder.Services.Configure<RollbackOptions>(builder.Configuration.GetSection(RollbackOptions.SectionName));
        builder.Services.AddDeploymentGate(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Environments:production maps to component 'warehouse'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rollback:GitHubProtection:PrivateKey", error.Message, StringComparison.Ordinal);
    }

    private static GitHubDeploymentProtectionHandler Handler(WorkflowHarness h) => h.Services.GetRequiredService<GitHubDeploymentProtectionHandler>();

    private static Task<WorkflowHarness> StartAsync(FakeGitHubProtection github)
    {
        Dictionary<string, string?> settings = null!;
        return WorkflowHarness.StartAsync(
            s =>
            {
                s["Rollback:GitHubProtection:WebhookSecret"] = FakeGitHubProtection.WebhookSecret;
                s["Rollback:GitHubProtection:ApiBaseUrl"] = github.BaseUri.AbsoluteUri;
                s["Rollback:GitHubProtection:AppId"] = FakeGitHubProtection.AppId;
                s["Rollback:GitHubProtection:PrivateKey"] = github.PrivateKeyPem;
                s["Rollback:GitHubProtection:RetryBaseDelay"] = "00:00:00.010";
                s["Rollback:GitHubProtection:Environments:production"] = WorkflowHarness.Component;
                settings = s;
            },
            services => services.AddDeploymentGate(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
    }

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
