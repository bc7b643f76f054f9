using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment;
using RollbackFunctions.Tests.Deployment.Fakes;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Deployment;

/// <summary>The GitHub Actions provider against a real HTTP server speaking GitHub's REST shapes.</summary>
public sealed class GitHubActionsProviderTests : IAsyncLifetime
{
    private const string Provider = "gh";
    private readonly FakeGitHub github = new();

    public Task InitializeAsync() => github.StartAsync();

    public Task DisposeAsync() => github.DisposeAsync().AsTask();

    [Fact]
    public async Task Section6_dispatches_the_workflow_with_inputs_and_headers_and_a_successful_run_succeeds()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);

        var started = await provider.StartAsync(Request("rb-1001"), default);

        Assert.False(started.AlreadyStarted);
        var runId = long.Parse(started.DeploymentId, CultureInfo.InvariantCulture);
        var dispatch = Assert.Single(github.RequestsTo(FakeGitHub.Dispatch));
        var body = JsonNode.Parse(dispatch.Body)!;
        Assert.Equal("main", body["ref"]!.GetValue<string>());
        Assert.True(body["return_run_details"]!.GetValue<bool>());
        Assert.Equal("web", body["inputs"]!["component"]!.GetValue<string>());
        Assert.Equal("1.4.2", body["inputs"]!["version"]!.GetValue<string>());
        Assert.Equal("registry.example/web@sha256:abc", body["inputs"]!["artifact"]!.GetValue<string>());
        Assert.Equal("rb-1001", body["inputs"]!["rollback_id"]!.GetValue<string>());
        Assert.Equal("SmokeTestsFailed", body["inputs"]!["reason"]!.GetValue<string>());
        Assert.Equal("application/vnd.github+json", dispatch.Headers["Accept"]);
        Assert.Equal("2022-11-28", dispatch.Headers["X-GitHub-Api-Version"]);
        Assert.StartsWith("RollbackFunctions", dispatch.Headers["User-Agent"], StringComparison.Ordinal);

        var queued = await provider.GetProgressAsync(Query(started), default);
        Assert.Equal(DeploymentState.Queued, queued.State);

        github.SetRun(runId, "in_progress", null, ("deploy", null));
        Assert.Equal(DeploymentState.Running, (await provider.GetProgressAsync(Query(started), default)).State);

        github.SetRun(runId, "completed", "success", ("deploy", "success"), ("smoke", "success"));
        var done = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Succeeded, done.State);
        Assert.True(done.IsFinished);
        Assert.Equal(["deploy:Succeeded", "smoke:Succeeded"], done.Units.Select(u => $"{u.Name}:{u.Status}"));
        Assert.Equal(1, github.RunsCreated);
    }

    [Fact]
    public async Task A_failed_run_ends_Failed_naming_the_failed_job()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-1002"), default);

        github.SetRun(long.Parse(started.DeploymentId, CultureInfo.InvariantCulture), "completed", "failure", ("deploy", "failure"), ("smoke", "skipped"));
        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Failed, progress.State);
        Assert.Contains("concluded failure", progress.Message, StringComparison.Ordinal);
        Assert.Contains("deploy failed", progress.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_ends_Cancelled()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-1003"), default);

        github.SetRun(long.Parse(started.DeploymentId, CultureInfo.InvariantCulture), "completed", "cancelled", ("deploy", "cancelled"));
        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Cancelled, progress.State);
        Assert.Contains("cancelled", progress.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timed_out")]
    [InlineData("startup_failure")]
    [InlineData("action_required")]
    public async Task Any_other_conclusion_ends_Failed(string conclusion)
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-1004"), default);

        github.SetRun(long.Parse(started.DeploymentId, CultureInfo.InvariantCulture), "completed", conclusion);

        Assert.Equal(DeploymentState.Failed, (await provider.GetProgressAsync(Query(started), default)).State);
    }

    [Fact]
    public async Task Section9_a_successful_run_with_a_job_that_did_not_run_is_a_partial_rollback_and_fails()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-1005"), default);

        github.SetRun(long.Parse(started.DeploymentId, CultureInfo.InvariantCulture), "completed", "success", ("deploy-api", "success"), ("deploy-worker", "skipped"));
        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Failed, progress.State);
        Assert.Contains("deploy-worker skipped", progress.Message, StringComparison.Ordinal);
        Assert.Contains("partial rollback", progress.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Section6_a_crash_replayed_start_with_the_same_rollback_id_returns_the_run_and_dispatches_nothing()
    {
        await using var host = Host();
        var first = await host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-2001"), default);

        // A fresh provider instance, as after a host restart: nothing is remembered in memory.
        await using var restarted = Host();
        var replayed = await restarted.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-2001"), default);

        Assert.True(replayed.AlreadyStarted);
        Assert.Equal(first.DeploymentId, replayed.DeploymentId);
        Assert.Equal(1, github.RunsCreated);
        Assert.Single(github.RequestsTo(FakeGitHub.Dispatch));
    }

    [Fact]
    public async Task Section6_a_rollback_id_that_is_a_prefix_of_another_does_not_match_its_run()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var longer = await provider.StartAsync(Request("rb-30"), default);

        var shorter = await provider.StartAsync(Request("rb-3"), default);

        Assert.False(shorter.AlreadyStarted);
        Assert.NotEqual(longer.DeploymentId, shorter.DeploymentId);
        Assert.Equal(2, github.RunsCreated);
    }

    [Fact]
    public async Task Section6_a_dispatch_accepted_whose_answer_was_lost_to_a_502_is_found_and_not_dispatched_again()
    {
        github.Inject(FakeGitHub.Dispatch, new Fault(Status: 502, ProcessFirst: true));
        await using var host = Host();

        var started = await host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-2002"), default);

        Assert.True(started.AlreadyStarted);
        Assert.Equal(1, github.RunsCreated);
        Assert.Single(github.RequestsTo(FakeGitHub.Dispatch));
        Assert.Equal(started.DeploymentId, github.Runs.Single()["id"]!.ToString());
    }

    [Fact]
    public async Task Section6_a_dispatch_accepted_whose_answer_never_came_is_found_after_the_timeout_and_not_dispatched_again()
    {
        github.Inject(FakeGitHub.Dispatch, new Fault(Hang: TimeSpan.FromSeconds(30), ProcessFirst: true));
        await using var host = Host(("RequestTimeout", "00:00:00.500"));

        var started = await host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-2003"), default);

        Assert.True(started.AlreadyStarted);
        Assert.Equal(1, github.RunsCreated);
        Assert.Single(github.RequestsTo(FakeGitHub.Dispatch));
    }

    [Fact]
    public async Task A_dispatch_answered_204_without_run_details_finds_its_run_by_run_name()
    {
        await using var host = Host(("ReturnRunDetails", "false"));

        var started = await host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-2004"), default);

        Assert.False(started.AlreadyStarted);
        Assert.Equal(github.Runs.Single()["id"]!.ToString(), started.DeploymentId);
        Assert.Null(JsonNode.Parse(github.RequestsTo(FakeGitHub.Dispatch).Single().Body)!["return_run_details"]);
    }

    [Fact]
    public async Task A_server_that_rejects_return_run_details_gets_a_plain_dispatch_and_the_run_is_found_by_name()
    {
        github.RejectsReturnRunDetails = true;
        await using var host = Host();

        var started = await host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-2005"), default);

        Assert.Equal(github.Runs.Single()["id"]!.ToString(), started.DeploymentId);
        var dispatches = github.RequestsTo(FakeGitHub.Dispatch).ToList();
        Assert.Equal(2, dispatches.Count);
        Assert.Null(JsonNode.Parse(dispatches[1].Body)!["return_run_details"]);
    }

    [Fact]
    public async Task A_500_while_polling_is_retried_and_the_run_is_still_read()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3001"), default);
        github.SetRun(long.Parse(started.DeploymentId, CultureInfo.InvariantCulture), "in_progress", null);
        github.Inject(FakeGitHub.GetRun, Fault.Answer(500));

        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Running, progress.State);
        Assert.Equal(2, github.RequestsTo(FakeGitHub.GetRun).Count());
    }

    [Fact]
    public async Task A_single_attempt_read_is_not_retried()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3020"), default);
        github.Inject(FakeGitHub.GetRun, Fault.Answer(500));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started) with { SingleAttempt = true }, default));

        Assert.True(failure.IsTransient);
        Assert.Single(github.RequestsTo(FakeGitHub.GetRun));
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_retried_after_the_wait_the_server_asked_for()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3002"), default);
        github.Inject(FakeGitHub.GetRun, Fault.Answer(503, retryAfter: 1));

        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Queued, progress.State);
        var attempts = github.RequestsTo(FakeGitHub.GetRun).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_429_on_dispatch_is_retried_after_Retry_After_and_starts_exactly_one_run()
    {
        github.Inject(FakeGitHub.Dispatch, Fault.Answer(429, retryAfter: 1));
        await using var host = Host();

        var started = await host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3003"), default);

        Assert.False(started.AlreadyStarted);
        Assert.Equal(1, github.RunsCreated);
        var dispatches = github.RequestsTo(FakeGitHub.Dispatch).ToList();
        Assert.Equal(2, dispatches.Count);
        Assert.True(dispatches[1].At - dispatches[0].At >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Section7_a_Retry_After_past_the_rollback_deadline_is_not_waited_for()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3004"), default);
        github.Inject(FakeGitHub.GetRun, Fault.Answer(503, retryAfter: 120));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            provider.GetProgressAsync(Query(started) with { Deadline = DateTimeOffset.UtcNow.AddSeconds(20) }, default));

        Assert.Equal(503, failure.StatusCode);
        Assert.True(failure.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Contains("past the rollback's deadline", failure.Message, StringComparison.Ordinal);
        Assert.Single(github.RequestsTo(FakeGitHub.GetRun));
    }

    [Fact]
    public async Task Persistent_5xx_ends_in_a_transient_provider_exception_after_the_configured_retries()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3005"), default);
        github.Inject(FakeGitHub.GetRun, Enumerable.Repeat(Fault.Answer(500), 10).ToArray());

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default));

        Assert.Equal(500, failure.StatusCode);
        Assert.True(failure.IsTransient);
        Assert.Contains("GitHub Actions provider 'gh'", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, github.RequestsTo(FakeGitHub.GetRun).Count());
    }

    [Fact]
    public async Task A_server_that_hangs_past_the_request_timeout_is_retried_then_reported_as_a_timeout()
    {
        await using var host = Host(("RequestTimeout", "00:00:00.300"), ("MaxRetries", "1"));
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3006"), default);
        github.Inject(FakeGitHub.GetRun, Fault.HangFor(TimeSpan.FromSeconds(30)), Fault.HangFor(TimeSpan.FromSeconds(30)));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default));

        Assert.True(failure.IsTransient);
        Assert.Null(failure.StatusCode);
        Assert.Contains("no answer within 0.3 s", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, github.RequestsTo(FakeGitHub.GetRun).Count());
    }

    [Fact]
    public async Task A_single_hang_is_absorbed_by_a_retry()
    {
        await using var host = Host(("RequestTimeout", "00:00:00.300"));
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3007"), default);
        github.Inject(FakeGitHub.GetRun, Fault.HangFor(TimeSpan.FromSeconds(30)));

        Assert.Equal(DeploymentState.Queued, (await provider.GetProgressAsync(Query(started), default)).State);
    }

    [Fact]
    public async Task A_refused_connection_is_reported_as_unreachable_and_transient()
    {
        var closed = new Uri($"http://127.0.0.1:{Azurite.FreePort()}/");
        await using var host = Host(("ApiBaseUrl", closed.AbsoluteUri), ("MaxRetries", "1"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3008"), default));

        Assert.True(failure.IsTransient);
        Assert.Null(failure.StatusCode);
        Assert.Contains("could not reach http://127.0.0.1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_is_not_retried_and_says_the_credentials_were_refused()
    {
        await using var host = Host(("Token", "github_pat_11TESTONLY_wrongtoken"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3009"), default));

        Assert.Equal(401, failure.StatusCode);
        Assert.False(failure.IsTransient);
        Assert.Contains("credentials were refused (401 Unauthorized): Bad credentials", failure.Message, StringComparison.Ordinal);
        Assert.Single(github.Requests);
        Assert.Equal(0, github.RunsCreated);
    }

    [Fact]
    public async Task A_403_is_not_retried_and_says_the_identity_lacks_permission()
    {
        github.Inject(FakeGitHub.Dispatch, Fault.Answer(403));
        await using var host = Host();

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3010"), default));

        Assert.Equal(403, failure.StatusCode);
        Assert.False(failure.IsTransient);
        Assert.Contains("lacks permission", failure.Message, StringComparison.Ordinal);
        Assert.Single(github.RequestsTo(FakeGitHub.Dispatch));
    }

    [Fact]
    public async Task A_403_with_Retry_After_is_GitHub_s_secondary_rate_limit_and_is_retried()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3014"), default);
        github.Inject(FakeGitHub.GetRun, new Fault(403, Body: "{\"message\":\"You have exceeded a secondary rate limit.\"}", RetryAfter: 1));

        Assert.Equal(DeploymentState.Queued, (await provider.GetProgressAsync(Query(started), default)).State);
        Assert.Equal(2, github.RequestsTo(FakeGitHub.GetRun).Count());
    }

    [Fact]
    public async Task A_GitHub_App_whose_key_GitHub_does_not_know_fails_on_the_token_exchange_and_dispatches_nothing()
    {
        using var registered = RSA.Create(2048);
        using var other = RSA.Create(2048);
        github.App = ("123456", 987654, registered);
        await using var host = Host(("Token", null), ("AppId", "123456"), ("InstallationId", "987654"), ("PrivateKey", other.ExportRSAPrivateKeyPem()));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3015"), default));

        Assert.Equal(401, failure.StatusCode);
        Assert.Contains("getting a GitHub App installation token failed: the credentials were refused", failure.Message, StringComparison.Ordinal);
        Assert.Empty(github.RequestsTo(FakeGitHub.Dispatch));
        Assert.Equal(0, github.InstallationTokensIssued);
    }

    [Fact]
    public async Task A_404_names_the_settings_to_check()
    {
        await using var host = Host(("Workflow", "missing.yml"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3011"), default));

        Assert.Equal(404, failure.StatusCode);
        Assert.Contains("Rollback:Providers:gh:GitHub:Owner, Repository and Workflow", failure.Message, StringComparison.Ordinal);
        Assert.Single(github.Requests);
    }

    [Fact]
    public async Task A_422_for_inputs_the_workflow_does_not_declare_is_reported_with_GitHub_s_message()
    {
        await using var host = Host(("Inputs:Reason", "why"));

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            host.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-3012"), default));

        Assert.Equal(422, failure.StatusCode);
        Assert.Contains("Unexpected inputs provided", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, github.RunsCreated);
    }

    [Fact]
    public async Task Malformed_JSON_is_a_provider_exception_and_not_retried()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-3013"), default);
        github.Inject(FakeGitHub.GetRun, Fault.Malformed());

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default));

        Assert.False(failure.IsTransient);
        Assert.Contains("malformed JSON", failure.Message, StringComparison.Ordinal);
        Assert.Single(github.RequestsTo(FakeGitHub.GetRun));
    }

    [Fact]
    public async Task A_GitHub_App_signs_a_JWT_exchanges_it_once_and_uses_the_installation_token()
    {
        using var key = RSA.Create(2048);
        github.App = ("123456", 987654, key);
        await using var host = Host(("Token", null), ("AppId", "123456"), ("InstallationId", "987654"), ("PrivateKey", key.ExportRSAPrivateKeyPem()));
        var provider = host.Provider(DeploymentProviderType.GitHubActions);

        var started = await provider.StartAsync(Request("rb-4001"), default);
        github.SetRun(long.Parse(started.DeploymentId, CultureInfo.InvariantCulture), "completed", "success", ("deploy", "success"));
        var progress = await provider.GetProgressAsync(Query(started), default);

        Assert.Equal(DeploymentState.Succeeded, progress.State);
        Assert.Equal(1, github.InstallationTokensIssued);
        Assert.All(github.Requests.Where(r => !r.Path.StartsWith("/app/", StringComparison.Ordinal)),
            r => Assert.Equal($"Bearer {github.IssuedInstallationToken}", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Security_no_token_private_key_or_installation_token_reaches_a_log_line_or_an_exception_message()
    {
        using var key = RSA.Create(2048);
        var pem = key.ExportRSAPrivateKeyPem();
        github.App = ("123456", 987654, key);

        // A hostile or buggy server that echoes the Authorization header in its error message.
        github.Inject(FakeGitHub.Dispatch, new Fault(Status: 422, Body: "{\"message\":\"echo Bearer " + github.IssuedInstallationToken + "\"}"));
        await using var host = Host(("Token", null), ("AppId", "123456"), ("InstallationId", "987654"), ("PrivateKey", pem));
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var messages = new List<string>();

        messages.Add((await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.StartAsync(Request("rb-4002"), default))).Message);
        var started = await provider.StartAsync(Request("rb-4003"), default);
        github.Inject(FakeGitHub.GetRun, Fault.Answer(500), Fault.Answer(500), Fault.Answer(500), Fault.Answer(500));
        messages.Add((await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.GetProgressAsync(Query(started), default))).Message);

        await using var tokenHost = Host(("Token", "github_pat_11TESTONLY_wrongtoken"));
        messages.Add((await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            tokenHost.Provider(DeploymentProviderType.GitHubActions).StartAsync(Request("rb-4004"), default))).Message);

        var everything = string.Join('\n', messages) + host.Logs.All + tokenHost.Logs.All;
        Assert.Contains("***", messages[0], StringComparison.Ordinal);
        Assert.DoesNotContain(github.IssuedInstallationToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("github_pat_11TESTONLY_wrongtoken", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(pem.Split('\n')[1], everything, StringComparison.Ordinal);
        Assert.NotEmpty(host.Logs.Lines);
    }

    [Fact]
    public async Task Cancel_of_a_queued_or_running_run_is_accepted_and_the_run_ends_Cancelled()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var queued = await provider.StartAsync(Request("rb-5001"), default);
        var running = await provider.StartAsync(Request("rb-5002"), default);
        github.SetRun(RunId(running), "in_progress", null, ("deploy", null));

        var first = await provider.CancelAsync(Cancellation(queued), default);
        var second = await provider.CancelAsync(Cancellation(running), default);

        Assert.Equal(DeploymentCancelOutcome.Cancelled, first.Outcome);
        Assert.Equal(DeploymentCancelOutcome.Cancelled, second.Outcome);
        Assert.Equal([RunId(queued), RunId(running)], github.CancelledRunIds);
        var cancel = github.RequestsTo(FakeGitHub.CancelRun).First();
        Assert.Equal(($"/repos/{FakeGitHub.Owner}/{FakeGitHub.Repo}/actions/runs/{queued.DeploymentId}/cancel", $"Bearer {github.ExpectedToken}", "2022-11-28"),
            (cancel.Path, cancel.Headers["Authorization"], cancel.Headers["X-GitHub-Api-Version"]));
        Assert.Equal(DeploymentState.Cancelled, (await provider.GetProgressAsync(Query(running), default)).State);
        Assert.Equal(2, github.RunsCreated);
    }

    [Fact]
    public async Task Cancel_of_a_completed_run_answered_409_is_already_ended_and_logs_no_failure()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-5003"), default);
        github.SetRun(RunId(started), "completed", "success", ("deploy", "success"));

        var result = await provider.CancelAsync(Cancellation(started), default);

        Assert.Equal(DeploymentCancelOutcome.AlreadyEnded, result.Outcome);
        Assert.Empty(github.CancelledRunIds);
        Assert.Single(github.RequestsTo(FakeGitHub.CancelRun));
        Assert.Equal(DeploymentState.Succeeded, (await provider.GetProgressAsync(Query(started), default)).State);
        Assert.DoesNotContain("cancelling the workflow run failed", host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_answered_502_then_429_with_Retry_After_is_retried_and_accepted()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-5004"), default);
        github.Inject(FakeGitHub.CancelRun, Fault.Answer(502), Fault.Answer(429, retryAfter: 1));

        var result = await provider.CancelAsync(Cancellation(started), default);

        Assert.Equal(DeploymentCancelOutcome.Cancelled, result.Outcome);
        var attempts = github.RequestsTo(FakeGitHub.CancelRun).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(900), "Retry-After was not honoured");
        Assert.Equal([RunId(started)], github.CancelledRunIds);
    }

    [Fact]
    public async Task Cancel_that_keeps_failing_hangs_or_cannot_connect_is_transient_and_ends_by_its_deadline()
    {
        await using var host = Host(("RequestTimeout", "00:00:00.300"));
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-5005"), default);
        github.Inject(FakeGitHub.CancelRun, Enumerable.Repeat(Fault.Answer(503), 4).ToArray());

        var failing = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(Cancellation(started), default));
        var failingAttempts = github.RequestsTo(FakeGitHub.CancelRun).Count();
        github.Inject(FakeGitHub.CancelRun, Enumerable.Repeat(Fault.HangFor(TimeSpan.FromSeconds(30)), 10).ToArray());
        var deadline = Cancellation(started, TimeSpan.FromSeconds(1));
        var hanging = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(deadline, default));
        var finishedAt = DateTimeOffset.UtcNow;
        await using var closedHost = Host(("ApiBaseUrl", $"http://127.0.0.1:{Azurite.FreePort()}/"), ("MaxRetries", "1"));
        var refused = await Assert.ThrowsAsync<DeploymentProviderException>(() =>
            closedHost.Provider(DeploymentProviderType.GitHubActions).CancelAsync(Cancellation(started), default));

        CancelAssert.Transient(failing, 503, hanging, finishedAt, deadline.Deadline, refused, github.ExpectedToken, host.Logs.All + closedHost.Logs.All);
        Assert.Equal(4, failingAttempts);
        Assert.Empty(github.CancelledRunIds);
    }

    [Fact]
    public async Task Cancel_refused_401_or_403_is_not_retried_and_carries_no_token()
    {
        await using var host = Host();
        var provider = host.Provider(DeploymentProviderType.GitHubActions);
        var started = await provider.StartAsync(Request("rb-5006"), default);
        github.Inject(FakeGitHub.CancelRun, new Fault(403, Body: "{\"message\":\"Resource not accessible by integration\"}"));
        var forbidden = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(Cancellation(started), default));
        // A server that echoes the token it was sent.
        github.Inject(FakeGitHub.CancelRun, new Fault(401, Body: "{\"message\":\"Bad credentials: Bearer " + github.ExpectedToken + "\"}"));
        var unauthorized = await Assert.ThrowsAsync<DeploymentProviderException>(() => provider.CancelAsync(Cancellation(started), default));

        Assert.Equal((403, false), (forbidden.StatusCode, forbidden.IsTransient));
        Assert.Contains("lacks permission", forbidden.Message, StringComparison.Ordinal);
        Assert.Equal((401, false), (unauthorized.StatusCode, unauthorized.IsTransient));
        Assert.Contains("credentials were refused", unauthorized.Message, StringComparison.Ordinal);
        Assert.Contains("***", unauthorized.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(github.ExpectedToken, unauthorized.Message + host.Logs.All, StringComparison.Ordinal);
        Assert.Equal(2, github.RequestsTo(FakeGitHub.CancelRun).Count());
        Assert.Empty(github.CancelledRunIds);
    }

    private ProviderHost Host(params (string Key, string? Value)[] overrides)
    {
        var prefix = $"Rollback:Providers:{Provider}";
        var settings = new Dictionary<string, string?>
        {
            [$"{prefix}:Type"] = "GitHubActions",
            [$"{prefix}:GitHub:ApiBaseUrl"] = github.BaseUri.AbsoluteUri,
            [$"{prefix}:GitHub:Owner"] = FakeGitHub.Owner,
            [$"{prefix}:GitHub:Repository"] = FakeGitHub.Repo,
            [$"{prefix}:GitHub:Workflow"] = FakeGitHub.WorkflowFile,
            [$"{prefix}:GitHub:Ref"] = "main",
            [$"{prefix}:GitHub:Token"] = github.ExpectedToken,
            [$"{prefix}:GitHub:RequestTimeout"] = "00:00:05",
            [$"{prefix}:GitHub:RetryBaseDelay"] = "00:00:00.050",
            [$"{prefix}:GitHub:MaxRetries"] = "3",
            [$"{prefix}:GitHub:RunDiscoveryTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in overrides)
        {
            settings[$"{prefix}:GitHub:{key}"] = value;
        }

        return ProviderHost.Create(settings);
    }

    private static DeploymentRequest Request(string rollbackId) =>
        new(Provider, rollbackId, "web", "1.4.2", "registry.example/web@sha256:abc", "SmokeTestsFailed", DateTimeOffset.UtcNow.AddMinutes(1));

    private static DeploymentQuery Query(DeploymentStarted started) =>
        new(Provider, started.DeploymentId, "rb", "web", DateTimeOffset.UtcNow.AddMinutes(1));

    private static long RunId(DeploymentStarted started) => long.Parse(started.DeploymentId, CultureInfo.InvariantCulture);

    private static DeploymentCancellation Cancellation(DeploymentStarted started, TimeSpan? within = null) =>
        new(Provider, started.DeploymentId, "rb", "web", "TimedOut", DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(10)));
}
