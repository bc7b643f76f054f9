using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Identity;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment;
using RollbackFunctions.Tests.Deployment.Fakes;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Deployment;

/// <summary>The Azure DevOps provider against a real HTTP server speaking the Pipelines REST shapes (7.1).</summary>
public sealed class AzureDevOpsProviderTests : IAsyncLifetime
{
    private const string Provider = "ado";
    private readonly FakeAzureDevOps devOps = new();

    public Task InitializeAsync() => devOps.StartAsync();

    public Task DisposeAsync() => devOps.DisposeAsync().AsTask();

    [Fact]
    public async Task Section6_runs_the_pipeline_with_template_parameters_and_an_Entra_token_and_a_succeeded_run_succeeds()
    {
        var credential = new StaticTokenCredential(devOps.ExpectedToken);
        await using var host = Host(credential);
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);

        var started = await provider.StartAsync(Request("rb-1001"), default);

        Assert.False(started.AlreadyStarted);
        var post = Assert.Single(devOps.RequestsTo(FakeAzureDevOps.RunPipeline));
        Assert.Equal("?api-version=7.1", post.Query);
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal("refs/heads/main", body["resources"]!["repositories"]!["self"]!["refName"]!.GetValue<string>());
        var parameters = body["templateParameters"]!;
        Assert.Equal("web", parameters["component"]!.GetValue<string>());
        Assert.Equal("1.4.2", parameters["version"]!.GetValue<string>());
        Assert.Equal("registry.example/web@sha256:abc", parameters["artifact"]!.GetValue<string>());
        Assert.Equal("rb-1001", parameters["rollbackId"]!.GetValue<string>());
        Assert.Equal("SmokeTestsFailed", parameters["reason"]!.GetValue<string>());
        Assert.Contains("499b84ac-1321-427f-aa17-267ca6975798/.default", credential.Scopes);

        Assert.Equal(DeploymentState.Running, (await provider.GetProgressAsync(Query(started), default)).State);

        devOps.SetRun(RunId(started), "completed", "succeeded");
        var done = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Succeeded, done.State);
        Assert.Equal("shop-rollback:Succeeded", Assert.Single(done.Units) is var unit ? $"{unit.Name}:{unit.Status}" : "");
        Assert.Contains("_build/results?buildId=", done.Message, StringComparison.Ordinal);
        Assert.Equal(1, credential.Calls);
    }

    [Fact]
    public async Task A_failed_run_ends_Failed()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-1002"), default);

        devOps.SetRun(RunId(started), "completed", "failed");
        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Failed, progress.State);
        Assert.Contains("ended failed", progress.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canceled_run_ends_Cancelled_and_a_canceling_run_is_still_running()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-1003"), default);

        devOps.SetRun(RunId(started), "canceling", null);
        Assert.Equal(DeploymentState.Running, (await provider.GetProgressAsync(Query(started), default)).State);

        devOps.SetRun(RunId(started), "completed", "canceled");
        Assert.Equal(DeploymentState.Cancelled, (await provider.GetProgressAsync(Query(started), default)).State);
    }

    [Fact]
    public async Task Section9_a_partially_succeeded_run_is_a_partial_rollback_and_fails()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-1004"), default);

        devOps.SetRun(RunId(started), "completed", "partiallySucceeded");
        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Failed, progress.State);
        Assert.Contains("partial rollback", progress.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", Assert.Single(progress.Units).Status);
    }

    [Fact]
    public async Task Section6_a_crash_replayed_start_with_the_same_rollback_id_returns_the_run_and_queues_nothing()
    {
        await using var host = Host();
        var first = await host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-2001"), default);

        await using var restarted = Host();
        var replayed = await restarted.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-2001"), default);

        Assert.True(replayed.AlreadyStarted);
        Assert.Equal(first.DeploymentId, replayed.DeploymentId);
        Assert.Equal(1, devOps.RunsCreated);
        Assert.Single(devOps.RequestsTo(FakeAzureDevOps.RunPipeline));
    }

    [Fact]
    public async Task Section6_a_run_queued_whose_answer_was_lost_to_a_500_is_found_and_not_queued_again()
    {
        devOps.Inject(FakeAzureDevOps.RunPipeline, new Fault(Status: 500, ProcessFirst: true));
        await using var host = Host();

        var started = await host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-2002"), default);

        Assert.True(started.AlreadyStarted);
        Assert.Equal(1, devOps.RunsCreated);
        Assert.Single(devOps.RequestsTo(FakeAzureDevOps.RunPipeline));
    }

    [Fact]
    public async Task Section6_a_run_queued_whose_connection_dropped_is_found_and_not_queued_again()
    {
        devOps.Inject(FakeAzureDevOps.RunPipeline, new Fault(ProcessFirst: true));
        await using var host = Host();

        var started = await host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-2003"), default);

        Assert.True(started.AlreadyStarted);
        Assert.Equal(1, devOps.RunsCreated);
    }

    [Fact]
    public async Task A_500_while_polling_is_retried_and_the_run_is_still_read()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-3001"), default);
        devOps.Inject(FakeAzureDevOps.GetRun, Fault.Answer(500));

        Assert.Equal(DeploymentState.Running, (await provider.GetProgressAsync(Query(started), default)).State);
        Assert.Equal(2, devOps.RequestsTo(FakeAzureDevOps.GetRun).Count());
    }

    [Fact]
    public async Task A_single_attempt_read_is_not_retried()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-3020"), default);
        devOps.Inject(FakeAzureDevOps.GetRun, Fault.Answer(500));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started) with { SingleAttempt = true }, default));

        Assert.True(failure.IsTransient);
        Assert.Single(devOps.RequestsTo(FakeAzureDevOps.GetRun));
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_retried_after_the_wait_the_server_asked_for()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-3002"), default);
        devOps.Inject(FakeAzureDevOps.GetRun, Fault.Answer(503, retryAfter: 1));

        Assert.Equal(DeploymentState.Running, (await provider.GetProgressAsync(Query(started), default)).State);
        var attempts = devOps.RequestsTo(FakeAzureDevOps.GetRun).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_429_on_the_run_list_is_retried_after_Retry_After_and_starts_exactly_one_run()
    {
        devOps.Inject(FakeAzureDevOps.ListRuns, Fault.Answer(429, retryAfter: 1));
        await using var host = Host();

        var started = await host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3003"), default);

        Assert.False(started.AlreadyStarted);
        Assert.Equal(1, devOps.RunsCreated);
        Assert.Equal(2, devOps.RequestsTo(FakeAzureDevOps.ListRuns).Count());
    }

    [Fact]
    public async Task Section7_retries_stop_at_the_rollback_deadline()
    {
        await using var host = Host(settings: ("RetryBaseDelay", "00:00:00.400"), more: ("MaxRetries", "20"));
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-3004"), default);
        devOps.Inject(FakeAzureDevOps.GetRun, Enumerable.Repeat(Fault.Answer(503), 40).ToArray());
        var deadline = DateTimeOffset.UtcNow.AddSeconds(2);

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started) with { Deadline = deadline }, default));

        // Under load the deadline can cut the last retry short before its 503 is read: either way it stopped in time.
        Assert.True(failure.StatusCode == 503 || failure.DeadlinePassed, $"expected the last 503 or the deadline, got: {failure.Message}");
        Assert.True(failure.IsTransient || failure.DeadlinePassed);
        Assert.True(DateTimeOffset.UtcNow < deadline.AddSeconds(1), "gave up long after the deadline");
        Assert.InRange(devOps.RequestsTo(FakeAzureDevOps.GetRun).Count(), 2, 4);
    }

    [Fact]
    public async Task A_server_that_hangs_past_the_request_timeout_is_reported_as_a_timeout()
    {
        await using var host = Host(settings: ("RequestTimeout", "00:00:00.300"), more: ("MaxRetries", "1"));
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-3005"), default);
        devOps.Inject(FakeAzureDevOps.GetRun, Fault.HangFor(TimeSpan.FromSeconds(30)), Fault.HangFor(TimeSpan.FromSeconds(30)));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default));

        Assert.True(failure.IsTransient);
        Assert.Contains("no answer within 0.3 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_reported_as_unreachable_and_transient()
    {
        await using var host = Host(settings: ("OrganizationUrl", $"http://127.0.0.1:{Azurite.FreePort()}/contoso/"), more: ("MaxRetries", "1"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3006"), default));

        Assert.True(failure.IsTransient);
        Assert.Contains("connection refused", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_is_not_retried_and_says_the_credentials_were_refused()
    {
        await using var host = Host(new StaticTokenCredential("eyJTESTONLY.not-accepted.token"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3007"), default));

        Assert.Equal(401, failure.StatusCode);
        Assert.False(failure.IsTransient);
        Assert.Contains("Azure DevOps provider 'ado'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("credentials were refused", failure.Message, StringComparison.Ordinal);
        Assert.Single(devOps.Requests);
    }

    [Fact]
    public async Task A_203_sign_in_page_is_reported_as_refused_credentials_not_as_malformed_JSON()
    {
        devOps.Inject(FakeAzureDevOps.ListRuns, new Fault(Status: 203, Body: "<html><head><title>Azure DevOps Services | Sign In</title></head></html>"));
        await using var host = Host();

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3008"), default));

        Assert.Equal(203, failure.StatusCode);
        Assert.Contains("sign-in page", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_names_the_settings_to_check()
    {
        await using var host = Host(settings: ("PipelineId", "7"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3009"), default));

        Assert.Equal(404, failure.StatusCode);
        Assert.Contains("Rollback:Providers:ado:AzureDevOps:Organization, Project and PipelineId", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_400_for_an_unknown_parameter_is_reported_with_Azure_DevOps_message_and_not_retried()
    {
        await using var host = Host(settings: ("Parameters:Reason", "why"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3010"), default));

        Assert.Equal(400, failure.StatusCode);
        Assert.Contains("Unexpected parameter 'why'", failure.Message, StringComparison.Ordinal);
        Assert.Single(devOps.RequestsTo(FakeAzureDevOps.RunPipeline));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_provider_exception()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-3011"), default);
        devOps.Inject(FakeAzureDevOps.GetRun, Fault.Malformed());

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default));

        Assert.False(failure.IsTransient);
        Assert.Contains("malformed JSON", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identity_that_cannot_get_a_token_is_a_clear_provider_failure_and_calls_nothing()
    {
        await using var host = Host(new StaticTokenCredential("unused", new CredentialUnavailableException("no managed identity endpoint")));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.AzureDevOps).StartAsync(Request("rb-3012"), default));

        Assert.Contains("could not get a token", failure.Message, StringComparison.Ordinal);
        Assert.Empty(devOps.Requests);
    }

    [Fact]
    public async Task Security_the_Entra_token_reaches_no_log_line_and_no_exception_message()
    {
        devOps.Inject(FakeAzureDevOps.GetRun, Enumerable.Repeat(Fault.Answer(500), 4).ToArray());
        devOps.Inject(FakeAzureDevOps.RunPipeline, new Fault(Status: 400, Body: "{\"message\":\"token Bearer " + devOps.ExpectedToken + " not valid for this pipeline\"}"));
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var echoed = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.StartAsync(Request("rb-4000"), default));
        var started = await provider.StartAsync(Request("rb-4001"), default);

        var polled = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default));

        Assert.Contains("***", echoed.Message, StringComparison.Ordinal);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(devOps.ExpectedToken, echoed.Message + polled.Message + host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_of_a_running_run_patches_its_build_to_cancelling_and_the_run_ends_Cancelled()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-6001"), default);

        var result = await provider.CancelAsync(Cancellation(started), default);

        Assert.Equal(DeploymentCancelOutcome.Cancelled, result.Outcome);
        Assert.Equal([RunId(started)], devOps.CancelledBuildIds);
        var patch = Assert.Single(devOps.RequestsTo(FakeAzureDevOps.UpdateBuild));
        Assert.Equal(($"/{FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}/_apis/build/builds/{started.DeploymentId}", "?api-version=7.1"), (patch.Path, patch.Query));
        Assert.Equal("cancelling", JsonNode.Parse(patch.Body)!["status"]!.GetValue<string>());
        Assert.Equal($"Bearer {devOps.ExpectedToken}", patch.Headers["Authorization"]);
        Assert.Equal(DeploymentState.Running, (await provider.GetProgressAsync(Query(started), default)).State);
        devOps.SetRun(RunId(started), "completed", "canceled");
        Assert.Equal(DeploymentState.Cancelled, (await provider.GetProgressAsync(Query(started), default)).State);
    }

    [Fact]
    public async Task Cancel_of_a_completed_run_is_already_ended_and_sends_no_update()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-6002"), default);
        devOps.SetRun(RunId(started), "completed", "succeeded");

        var result = await provider.CancelAsync(Cancellation(started), default);

        Assert.Equal(DeploymentCancelOutcome.AlreadyEnded, result.Outcome);
        Assert.Contains("succeeded", result.Detail, StringComparison.Ordinal);
        Assert.Empty(devOps.RequestsTo(FakeAzureDevOps.UpdateBuild));
        Assert.Empty(devOps.CancelledBuildIds);
    }

    [Fact]
    public async Task Cancel_of_a_run_that_completes_between_the_read_and_the_update_is_already_ended()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-6003"), default);
        // The read still sees it running; by the update it has completed, and the Builds API accepts the PATCH unchanged.
        devOps.Inject(FakeAzureDevOps.UpdateBuild, new Fault(200, Body: $"{{\"id\":{started.DeploymentId},\"status\":\"completed\",\"result\":\"failed\"}}"));

        var result = await provider.CancelAsync(Cancellation(started), default);

        Assert.Equal(DeploymentCancelOutcome.AlreadyEnded, result.Outcome);
        Assert.Single(devOps.RequestsTo(FakeAzureDevOps.UpdateBuild));
    }

    [Fact]
    public async Task Cancel_answered_503_and_429_is_retried_and_accepted()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-6004"), default);
        devOps.Inject(FakeAzureDevOps.GetBuild, Fault.Answer(503));
        devOps.Inject(FakeAzureDevOps.UpdateBuild, Fault.Answer(429, retryAfter: 1));

        var result = await provider.CancelAsync(Cancellation(started), default);

        Assert.Equal(DeploymentCancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(2, devOps.RequestsTo(FakeAzureDevOps.GetBuild).Count());
        Assert.Equal(2, devOps.RequestsTo(FakeAzureDevOps.UpdateBuild).Count());
        Assert.Equal([RunId(started)], devOps.CancelledBuildIds);
    }

    [Fact]
    public async Task Cancel_that_keeps_failing_hangs_or_cannot_connect_is_transient_and_ends_by_its_deadline()
    {
        await using var host = Host(settings: ("RequestTimeout", "00:00:00.300"));
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-6005"), default);
        devOps.Inject(FakeAzureDevOps.UpdateBuild, Enumerable.Repeat(Fault.Answer(500), 4).ToArray());

        var failing = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(Cancellation(started), default));
        var failingAttempts = devOps.RequestsTo(FakeAzureDevOps.UpdateBuild).Count();
        devOps.Inject(FakeAzureDevOps.GetBuild, Enumerable.Repeat(Fault.HangFor(TimeSpan.FromSeconds(30)), 10).ToArray());
        var deadline = Cancellation(started, TimeSpan.FromSeconds(1));
        var hanging = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(deadline, default));
        var finishedAt = DateTimeOffset.UtcNow;
        await using var closedHost = Host(settings: ("OrganizationUrl", $"http://127.0.0.1:{Azurite.FreePort()}/contoso/"), more: ("MaxRetries", "1"));
        var refused = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            closedHost.Provider(DeploymentProviderType.AzureDevOps).CancelAsync(Cancellation(started), default));

        CancelAssert.Transient(failing, 500, hanging, finishedAt, deadline.Deadline, refused, devOps.ExpectedToken, host.Logs.All + closedHost.Logs.All);
        Assert.Equal(4, failingAttempts);
        Assert.Empty(devOps.CancelledBuildIds);
    }

    [Fact]
    public async Task Cancel_refused_401_or_403_is_not_retried_and_carries_no_token()
    {
        await using var refusedHost = Host(new StaticTokenCredential("eyJTESTONLY.not-accepted.token"));
        var unauthorized = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            refusedHost.Provider(DeploymentProviderType.AzureDevOps).CancelAsync(Cancellation("1201"), default));
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.AzureDevOps);
        var started = await provider.StartAsync(Request("rb-6006"), default);
        // Without "Stop builds", and from a server that echoes the token it was sent.
        devOps.Inject(FakeAzureDevOps.UpdateBuild, new Fault(403, Body:
            "{\"$id\":\"1\",\"message\":\"TF215106: Access denied. Bearer " + devOps.ExpectedToken + " needs Stop builds permissions for build " + started.DeploymentId + ".\",\"typeKey\":\"AccessDeniedException\",\"errorCode\":0,\"eventId\":3000}"));
        var forbidden = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(Cancellation(started), default));

        Assert.Equal((401, false), (unauthorized.StatusCode, unauthorized.IsTransient));
        Assert.Contains("credentials were refused", unauthorized.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-accepted", unauthorized.Message + refusedHost.Logs.All, StringComparison.Ordinal);
        Assert.Equal((403, false), (forbidden.StatusCode, forbidden.IsTransient));
        Assert.Contains("lacks permission", forbidden.Message, StringComparison.Ordinal);
        Assert.Contains("***", forbidden.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(devOps.ExpectedToken, forbidden.Message + host.Logs.All, StringComparison.Ordinal);
        Assert.Single(devOps.RequestsTo(FakeAzureDevOps.UpdateBuild));
        Assert.Empty(devOps.CancelledBuildIds);
    }

    private ProviderHost Host(StaticTokenCredential? credential = null, (string Key, string Value)? settings = null, (string Key, string Value)? more = null)
    {
        var prefix = $"Rollback:Providers:{Provider}:AzureDevOps";
        var values = new Dictionary<string, string?>
        {
            [$"Rollback:Providers:{Provider}:Type"] = "AzureDevOps",
            [$"{prefix}:OrganizationUrl"] = devOps.OrganizationUrl.AbsoluteUri,
            [$"{prefix}:Project"] = FakeAzureDevOps.Project,
            [$"{prefix}:PipelineId"] = FakeAzureDevOps.PipelineId.ToString(CultureInfo.InvariantCulture),
            [$"{prefix}:Branch"] = "main",
            [$"{prefix}:RequestTimeout"] = "00:00:05",
            [$"{prefix}:RetryBaseDelay"] = "00:00:00.050",
            [$"{prefix}:MaxRetries"] = "3",
        };
        foreach (var (key, value) in new[] { settings, more }.OfType<(string, string)>())
        {
            values[$"{prefix}:{key}"] = value;
        }

        return ProviderHost.Create(values, credential ?? new StaticTokenCredential(devOps.ExpectedToken));
    }

    private static int RunId(DeploymentStarted started) => int.Parse(started.DeploymentId, CultureInfo.InvariantCulture);

    private static DeploymentRequest Request(string rollbackId) =>
        new(Provider, rollbackId, "web", "1.4.2", "registry.example/web@sha256:abc", "SmokeTestsFailed", DateTimeOffset.UtcNow.AddMinutes(1));

    private static DeploymentQuery Query(DeploymentStarted started) =>
        new(Provider, started.DeploymentId, "rb", "web", DateTimeOffset.UtcNow.AddMinutes(1));

    private static DeploymentCancellation Cancellation(DeploymentStarted started, TimeSpan? within = null) => Cancellation(started.DeploymentId, within);

    private static DeploymentCancellation Cancellation(string deploymentId, TimeSpan? within = null) =>
        new(Provider, deploymentId, "rb", "web", "TimedOut", DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(10)));
}
