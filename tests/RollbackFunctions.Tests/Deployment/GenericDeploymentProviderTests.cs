using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Deployment;

/// <summary>The generic deployment API client against the loopback simulator (API.md, "What the app calls").</summary>
public sealed class GenericDeploymentProviderTests : IAsyncLifetime
{
    private SimulatedDeploymentApi _api = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _api = await SimulatedDeploymentApi.StartAsync();
        _api.RequiredHeader = "x-demo-key: local-only";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RollbackStorage"] = Azurite.ConnectionString,
            ["Rollback:Providers:platform:Type"] = "Generic",
            ["Rollback:Providers:platform:Generic:BaseUrl"] = _api.BaseUrl.AbsoluteUri,
            ["Rollback:Providers:platform:Generic:StaticHeader"] = "x-demo-key: local-only",
            ["Rollback:Providers:wrongkey:Type"] = "Generic",
            ["Rollback:Providers:wrongkey:Generic:BaseUrl"] = _api.BaseUrl.AbsoluteUri,
            ["Rollback:Providers:wrongkey:Generic:StaticHeader"] = "x-demo-key: guessed",
            ["Rollback:Providers:slow:Type"] = "Generic",
            ["Rollback:Providers:slow:Generic:BaseUrl"] = _api.BaseUrl.AbsoluteUri,
            ["Rollback:Providers:slow:Generic:StaticHeader"] = "x-demo-key: local-only",
            ["Rollback:Providers:slow:Generic:RequestTimeout"] = "00:00:00.200",
            ["Rollback:Providers:gone:Type"] = "Generic",
            ["Rollback:Providers:gone:Generic:BaseUrl"] = $"http://127.0.0.1:{Azurite.FreePort()}/",
            ["Rollback:Providers:gha:Type"] = "GitHubActions",
            ["Rollback:Providers:gha:GitHub:Owner"] = "contoso",
            ["Rollback:Providers:gha:GitHub:Repository"] = "shop",
            ["Rollback:Providers:gha:GitHub:Workflow"] = "rollback.yml",
            ["Rollback:Providers:gha:GitHub:Token"] = "github_pat_TESTONLY",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddRollbackWorkflow(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _api.DisposeAsync();
    }

    private IDeploymentProvider Provider(string name = "platform") => _services.GetRequiredService<IDeploymentProviderResolver>().Resolve(name);

    private static DeploymentRequest Request(string provider = "platform", string key = "rb-1") =>
        new(provider, key, "shop", "1.1.0", "registry.example.test/shop@sha256:" + new string('b', 64), "HealthDegraded: rollback rb-1", DateTimeOffset.UtcNow.AddMinutes(1));

    [Fact]
    public async Task Section6_same_idempotency_key_returns_the_same_deployment_and_deploys_nothing_new()
    {
        var first = await Provider().StartAsync(Request(), CancellationToken.None);
        var again = await Provider().StartAsync(Request(), CancellationToken.None);

        Assert.Equal(first.DeploymentId, again.DeploymentId);
        Assert.False(first.AlreadyStarted);
        Assert.True(again.AlreadyStarted);
        Assert.Equal(1, _api.DeploymentsCreated);
        var deployment = Assert.Single(_api.Deployments);
        Assert.Equal(("rollback", false, false), (deployment.Mode, deployment.RunMigrations, deployment.RotateSecrets));
        var progress = await Provider().GetProgressAsync(new DeploymentQuery("platform", first.DeploymentId, "rb-1", "shop", DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);
        Assert.Equal(DeploymentState.Succeeded, progress.State);
        Assert.Equal(["web", "worker"], progress.Units.Select(u => u.Name));
    }

    [Fact]
    public async Task Transient_503_and_429_with_Retry_After_are_retried()
    {
        _api.FailNextStarts(503);
        _api.FailNextStarts(429, retryAfter: TimeSpan.FromSeconds(1));

        var started = await Provider().StartAsync(Request(), CancellationToken.None);

        Assert.Equal(3, _api.StartRequests);
        Assert.Equal(1, _api.DeploymentsCreated);
        Assert.False(string.IsNullOrEmpty(started.DeploymentId));
        var requests = _api.Requests;
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(900), "Retry-After was not honoured");
    }

    [Fact]
    public async Task A_single_attempt_progress_read_is_sent_once_and_a_normal_read_retries()
    {
        var started = await Provider().StartAsync(Request(), CancellationToken.None);
        var query = new DeploymentQuery("platform", started.DeploymentId, "rb-1", "shop", DateTimeOffset.UtcNow.AddMinutes(1));
        _api.FailStatusPolls(503, count: 1);

        var once = await Assert.ThrowsAsync<DeploymentProviderException>(() => Provider().GetProgressAsync(query with { SingleAttempt = true }, CancellationToken.None));

        Assert.True(once.IsTransient);
        Assert.Equal(1, _api.StatusRequests);
        _api.FailStatusPolls(503, count: 1);
        var retried = await Provider().GetProgressAsync(query, CancellationToken.None);
        Assert.Equal(DeploymentState.Succeeded, retried.State);
        Assert.Equal(3, _api.StatusRequests);
    }

    [Fact]
    public async Task No_retry_is_attempted_past_the_rollbacks_deadline()
    {
        _api.FailNextStarts(503, count: 50);
        var request = Request() with { Deadline = DateTimeOffset.UtcNow.AddMilliseconds(600) };

        var error = await Assert.ThrowsAsync<DeploymentProviderException>(() => Provider().StartAsync(request, CancellationToken.None));

        // No retry is started that could not finish in time, so the answer keeps what the API last said.
        Assert.True(error.IsTransient);
        Assert.Equal(503, error.StatusCode);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow < request.Deadline, "the call waited for the deadline instead of answering when no retry could help");
        var seen = _api.StartRequests;
        await Task.Delay(1500);
        Assert.Equal(seen, _api.StartRequests);
        Assert.Equal(0, _api.DeploymentsCreated);
    }

    [Fact]
    public async Task Refused_credentials_are_a_clear_non_retriable_error_without_the_secret()
    {
        var error = await Assert.ThrowsAsync<DeploymentProviderException>(() => Provider("wrongkey").StartAsync(Request("wrongkey"), CancellationToken.None));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("credentials were not accepted", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guessed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _api.StartRequests);
    }

    [Fact]
    public async Task Malformed_answer_is_a_clear_non_retriable_error()
    {
        var started = await Provider().StartAsync(Request(), CancellationToken.None);
        _api.AnswerMalformedStatus = true;

        var error = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            Provider().GetProgressAsync(new DeploymentQuery("platform", started.DeploymentId, "rb-1", "shop", DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None));

        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _api.StatusRequests);
    }

    [Theory]
    [InlineData("shop")]
    [InlineData("Shop.Web_v2-eu")]
    public void Rollback_ids_are_valid_instance_ids_and_table_keys(string component)
    {
        var id = RollbackFunctions.Intake.RollbackStarter.NewRollbackId(component, DateTimeOffset.UtcNow);

        Assert.Matches("^[A-Za-z0-9][A-Za-z0-9._-]+$", id);
        Assert.StartsWith(component + "-", id, StringComparison.Ordinal);
        Assert.NotEqual(id, RollbackFunctions.Intake.RollbackStarter.NewRollbackId(component, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Unknown_deployment_is_404_and_unknown_provider_is_named()
    {
        var missing = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            Provider().GetProgressAsync(new DeploymentQuery("platform", "dep-9999", "rb-1", "shop", DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None));
        Assert.Equal(404, missing.StatusCode);

        var unknown = Assert.Throws<DeploymentProviderException>(() => Provider("nope"));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        // Resolution is by the entry's type: a GitHubActions entry gets the GitHub Actions provider.
        Assert.IsType<RollbackFunctions.Deployment.GitHubActions.GitHubActionsDeploymentProvider>(Provider("gha"));
    }

    private static DeploymentCancellation Cancellation(string deploymentId, string provider = "platform", TimeSpan? within = null) =>
        new(provider, deploymentId, "rb-1", "shop", "TimedOut: rollback rb-1", DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(10)));

    private Task<DeploymentProgress> ReadAsync(string deploymentId) =>
        Provider().GetProgressAsync(new DeploymentQuery("platform", deploymentId, "rb-1", "shop", DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);

    [Fact]
    public async Task Cancel_of_a_running_deployment_is_accepted_and_the_deployment_ends_failed_cancelled()
    {
        _api.ScriptFor("shop", DeploymentScript.RunForever());
        var started = await Provider().StartAsync(Request(), CancellationToken.None);
        Assert.Equal(DeploymentState.Running, (await ReadAsync(started.DeploymentId)).State);

        var result = await Provider().CancelAsync(Cancellation(started.DeploymentId), CancellationToken.None);

        Assert.Equal(DeploymentCancelOutcome.Cancelled, result.Outcome);
        Assert.Equal([started.DeploymentId], _api.CancelledDeploymentIds);
        var cancel = Assert.Single(_api.Requests, r => r.Path.EndsWith("/cancel", StringComparison.Ordinal));
        Assert.Equal(("POST", $"/deployments/{started.DeploymentId}/cancel", "local-only"), (cancel.Method, cancel.Path, cancel.ApiKey));
        // A cancel is not a start.
        Assert.Equal(1, _api.StartRequests);
        var after = await ReadAsync(started.DeploymentId);
        Assert.Equal((DeploymentState.Failed, "Cancelled"), (after.State, after.Message));
        Assert.DoesNotContain(after.Units, u => u.Status == "Succeeded");
    }

    [Fact]
    public async Task Cancel_of_an_ended_deployment_409_or_an_unknown_one_404_is_already_ended()
    {
        var started = await Provider().StartAsync(Request(), CancellationToken.None);
        Assert.Equal(DeploymentState.Succeeded, (await ReadAsync(started.DeploymentId)).State);

        var ended = await Provider().CancelAsync(Cancellation(started.DeploymentId), CancellationToken.None);
        var unknown = await Provider().CancelAsync(Cancellation("dep-9999"), CancellationToken.None);

        Assert.Equal(DeploymentCancelOutcome.AlreadyEnded, ended.Outcome);
        Assert.Equal(DeploymentCancelOutcome.AlreadyEnded, unknown.Outcome);
        Assert.Empty(_api.CancelledDeploymentIds);
        Assert.Equal(2, _api.CancelRequests);
        Assert.Equal(DeploymentState.Succeeded, (await ReadAsync(started.DeploymentId)).State);
    }

    [Fact]
    public async Task Cancel_answered_503_then_429_is_retried_within_its_deadline()
    {
        _api.ScriptFor("shop", DeploymentScript.RunForever());
        var started = await Provider().StartAsync(Request(), CancellationToken.None);
        _api.FailNextCancels(503);
        _api.FailNextCancels(429);

        var result = await Provider().CancelAsync(Cancellation(started.DeploymentId), CancellationToken.None);

        Assert.Equal(DeploymentCancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(3, _api.CancelRequests);
        Assert.Equal([started.DeploymentId], _api.CancelledDeploymentIds);
    }

    [Fact]
    public async Task Cancel_that_keeps_answering_503_is_a_transient_error_before_its_deadline()
    {
        _api.FailNextCancels(503, count: 50);
        var cancellation = Cancellation("dep-0001", within: TimeSpan.FromMilliseconds(800));

        var error = await Assert.ThrowsAsync<DeploymentProviderException>(() => Provider().CancelAsync(cancellation, CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Equal(503, error.StatusCode);
        Assert.True(_api.CancelRequests > 1, "a transient answer was not retried");
        Assert.True(DateTimeOffset.UtcNow < cancellation.Deadline + TimeSpan.FromMilliseconds(200), "the cancel outlived its deadline");
        Assert.DoesNotContain("local-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_that_cannot_reach_the_api_or_gets_no_answer_in_time_is_a_transient_error()
    {
        _api.ScriptFor("shop", DeploymentScript.RunForever(latency: TimeSpan.FromSeconds(1)));
        var started = await Provider().StartAsync(Request(), CancellationToken.None);
        var within = TimeSpan.FromMilliseconds(800);

        var refused = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            Provider("gone").CancelAsync(Cancellation(started.DeploymentId, "gone", within), CancellationToken.None));
        // The simulator answers after 1 s, slower than the entry's 200 ms request timeout and the cancel's deadline.
        var slow = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            Provider("slow").CancelAsync(Cancellation(started.DeploymentId, "slow", within), CancellationToken.None));

        Assert.True(refused.IsTransient);
        Assert.Null(refused.StatusCode);
        Assert.Contains($"could not cancel deployment {started.DeploymentId}", refused.Message, StringComparison.Ordinal);
        Assert.True(slow.IsTransient);
        Assert.Null(slow.StatusCode);
        Assert.Contains("did not answer in time", slow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_with_refused_credentials_is_a_non_transient_error_without_the_secret()
    {
        var unauthorized = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            Provider("wrongkey").CancelAsync(Cancellation("dep-0001", "wrongkey"), CancellationToken.None));
        _api.FailNextCancels(403);
        var forbidden = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            Provider().CancelAsync(Cancellation("dep-0001"), CancellationToken.None));

        Assert.Equal((401, false), (unauthorized.StatusCode, unauthorized.IsTransient));
        Assert.Contains("credentials were not accepted", unauthorized.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guessed", unauthorized.Message, StringComparison.Ordinal);
        Assert.Equal((403, false), (forbidden.StatusCode, forbidden.IsTransient));
        Assert.DoesNotContain("local-only", forbidden.Message, StringComparison.Ordinal);
        Assert.Equal(2, _api.CancelRequests);
    }
}
