using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Deployment;
using RollbackFunctions.Domain;
using RollbackFunctions.Simulators;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>
/// How the workflow treats a deployment API that fails (sections 6, 7 and 11): a transient failure is tried again
/// within the budget, a refusal fails at once with its reason, and a call cut short by the deadline is the budget's
/// end (TimedOut), never a failure.
/// </summary>
public sealed class RollbackProviderFailureTests
{
    [Fact]
    public async Task Section6_progress_polls_answering_503_are_polled_again_and_the_rollback_succeeds()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();

        // More 503s than the provider's own retries of one poll (1 + 4 attempts): at least one whole poll fails.
        h.Api.FailStatusPolls(503, count: 7);
        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.True(h.Api.StatusRequests >= 8, $"{h.Api.StatusRequests} status requests");
        Assert.Equal(1, h.Api.DeploymentsCreated);
        Assert.Empty(h.Incidents.Attempts);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(RollbackPhase.Succeeded, rollback.Phase);
        var unavailable = Assert.Single(steps, s => s.Name == "DeploymentProgressUnavailable");
        Assert.Contains("503", unavailable.Detail, StringComparison.Ordinal);
        Assert.Single(steps, s => s.Name == "DeploymentProgressAvailable");
        Assert.Contains(steps, s => s.Name == "DeploymentCompleted" && s.Status == StepStatus.Passed);
        var state = await h.Components.GetAsync(WorkflowHarness.Component);
        Assert.Equal(("1.1.0", false), (state.CurrentVersion, state.IsFrozen));
    }

    [Fact]
    public async Task Section6_a_transient_failure_of_the_first_progress_read_is_dropped_and_the_workflow_reads_again()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();

        // The start activity's own read right after the start is a single attempt: its 503 is not retried there and
        // not recorded; the workflow's poll reads the deployment and the rollback goes on.
        h.Api.FailStatusPolls(503, count: 1);
        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(2, h.Api.StatusRequests);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        var (_, steps, _) = await h.TimelineAsync(id);
        Assert.DoesNotContain(steps, s => s.Name == "DeploymentProgressUnavailable");
        Assert.Contains(steps, s => s.Name == "DeploymentCompleted" && s.Status == StepStatus.Passed);
    }

    [Fact]
    public async Task Section11_progress_poll_answering_401_fails_at_once_with_the_reason()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();

        h.Api.FailStatusPolls(401);
        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        Assert.Contains("401", result.Reason, StringComparison.Ordinal);
        Assert.Contains("could not be read", result.Reason, StringComparison.Ordinal);

        // Not retried: one status request, no probe, one deployment.
        Assert.Equal(1, h.Api.StatusRequests);
        Assert.Equal(0, h.Endpoints.TotalHits);
        var (_, steps, _) = await h.TimelineAsync(id);
        Assert.Contains(steps, s => s.Name == "DeploymentCompleted" && s.Status == StepStatus.Failed && s.Detail!.Contains("401", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.Name == "DeploymentProgressUnavailable");
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.Failed);
    }

    [Fact]
    public async Task Section7_progress_polls_answering_503_forever_end_TimedOut_not_Failed()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:Budget"] = "00:00:06");
        await h.SeedStandardReleasesAsync();

        h.Api.FailStatusPolls(503);
        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.TimedOut, result.Outcome);
        Assert.Contains("503", result.Reason, StringComparison.Ordinal);
        Assert.True(h.Api.StatusRequests > 1);
        Assert.Equal(0, h.Endpoints.TotalHits);
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.True(rollback.EndedAt >= rollback.Deadline, $"ended {rollback.EndedAt:O} before the deadline {rollback.Deadline:O}");

        // No further change is requested once the budget ran out.
        var requestsAtEnd = h.Api.Requests.Count;
        await Task.Delay(800);
        Assert.Equal(requestsAtEnd, h.Api.Requests.Count);
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.TimedOut);
    }

    [Fact]
    public async Task Section6_a_start_answering_503_is_started_again_under_the_same_idempotency_key()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false");
        await h.SeedStandardReleasesAsync();

        h.Api.FailNextStarts(503, count: 6);
        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(7, h.Api.StartRequests);
        Assert.Equal(1, h.Api.DeploymentsCreated);
        var (_, steps, _) = await h.TimelineAsync(id);
        Assert.Single(steps, s => s.Name == "DeploymentStartRetrying");
        Assert.True(steps.ToList().FindIndex(s => s.Name == "TargetPinned") < steps.ToList().FindIndex(s => s.Name == "DeploymentStartRetrying"));
    }

    [Fact]
    public async Task Section7_a_deployment_API_answering_only_after_the_deadline_ends_TimedOut_never_Failed()
    {
        await using var h = await WorkflowHarness.StartAsync(s => s["Rollback:Budget"] = "00:00:03");
        await h.SeedStandardReleasesAsync();

        // Every call is cut off by the deadline (the start first): the failure is the deadline's, the outcome the budget's.
        h.Api.DefaultScript = DeploymentScript.Succeed(latency: TimeSpan.FromSeconds(8));
        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.TimedOut, result.Outcome);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.True(rollback.EndedAt >= rollback.Deadline, $"ended {rollback.EndedAt:O} before the deadline {rollback.Deadline:O}");
        Assert.DoesNotContain(steps, s => s.Status == StepStatus.Failed && s.Name.StartsWith("Deployment", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Name == "TargetPinned");
        await RollbackOutcomeTests.AssertEscalatedAndFrozenAsync(h, id, RollbackPhase.TimedOut);
    }

    [Fact]
    public async Task Section7_a_poll_refused_because_the_deadline_passed_is_reported_as_the_deadlines()
    {
        await using var h = await WorkflowHarness.StartAsync();
        await h.SeedStandardReleasesAsync();
        var provider = h.Services.GetRequiredService<IDeploymentProviderResolver>().Resolve("platform");
        var started = await provider.StartAsync(new DeploymentRequest("platform", "rb-deadline", WorkflowHarness.Component, "1.1.0", WorkflowHarness.Digest('b'), "test", DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);
        var poll = new GetDeploymentProgressActivity(h.Services.GetRequiredService<IDeploymentProviderResolver>(), h.Audit, TimeProvider.System);

        var passed = await poll.RunAsync(null!, new GetDeploymentProgressInput("rb-deadline", "platform", WorkflowHarness.Component, started.DeploymentId, DateTimeOffset.UtcNow.AddSeconds(-1)));
        var inTime = await poll.RunAsync(null!, new GetDeploymentProgressInput("rb-deadline", "platform", WorkflowHarness.Component, started.DeploymentId, DateTimeOffset.UtcNow.AddMinutes(1)));

        Assert.Null(passed.Progress);
        Assert.True(passed.Failure!.DeadlinePassed);
        Assert.Equal(DeploymentState.Succeeded, inTime.Progress!.State);
        Assert.Null(inTime.Failure);
    }
}
