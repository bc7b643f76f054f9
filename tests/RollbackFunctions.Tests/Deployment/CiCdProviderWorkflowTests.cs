using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Deployment;
using RollbackFunctions.Domain;
using RollbackFunctions.Tests.Deployment.Fakes;
using RollbackFunctions.Tests.Workflow;

namespace RollbackFunctions.Tests.Deployment;

/// <summary>
/// Whole rollbacks (in-process Durable Task engine, Azurite, simulated probe endpoints) deploying through GitHub
/// Actions or Azure DevOps on loopback servers: the outcome and the provider's reason land in the audit.
/// </summary>
public sealed class CiCdProviderWorkflowTests
{
    [Fact]
    public async Task Section6_a_rollback_through_GitHub_Actions_dispatches_the_target_once_and_succeeds()
    {
        await using var github = new FakeGitHub();
        await github.StartAsync();
        github.OnRunCreated = id => github.SetRun(id, "completed", "success", ("deploy", "success"), ("smoke", "success"));
        await using var h = await WorkflowHarness.StartAsync(settings => UseGitHub(settings, github));
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(1, github.RunsCreated);
        var inputs = JsonNode.Parse(Assert.Single(github.RequestsTo(FakeGitHub.Dispatch)).Body)!["inputs"]!;
        Assert.Equal((WorkflowHarness.Component, "1.1.0", WorkflowHarness.Digest('b'), id),
            (inputs["component"]!.GetValue<string>(), inputs["version"]!.GetValue<string>(), inputs["artifact"]!.GetValue<string>(), inputs["rollback_id"]!.GetValue<string>()));
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Equal(github.Runs.Single()["id"]!.ToString(), rollback.DeploymentId);
        Assert.Contains(steps, s => s.Name == "DeploymentCompleted" && s.Status == StepStatus.Passed && s.Detail!.Contains("deploy=Succeeded", StringComparison.Ordinal));
        Assert.Equal(0, h.Api.DeploymentsCreated);
    }

    [Fact]
    public async Task Section11_a_failed_GitHub_Actions_run_fails_the_rollback_with_the_failed_job_in_the_audit()
    {
        await using var github = new FakeGitHub();
        await github.StartAsync();
        github.OnRunCreated = id => github.SetRun(id, "completed", "failure", ("deploy", "failure"));
        await using var h = await WorkflowHarness.StartAsync(settings => UseGitHub(settings, github));
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.Contains("concluded failure", rollback.OutcomeReason, StringComparison.Ordinal);
        Assert.Contains("deploy failed", rollback.OutcomeReason, StringComparison.Ordinal);
        Assert.True((await h.Components.GetAsync(WorkflowHarness.Component)).IsFrozen);
    }

    [Fact]
    public async Task Section10_a_refused_GitHub_token_fails_the_rollback_with_the_reason_and_without_the_token_in_the_audit()
    {
        await using var github = new FakeGitHub();
        await github.StartAsync();
        const string wrongToken = "github_pat_11TESTONLY_revokedtoken";
        await using var h = await WorkflowHarness.StartAsync(settings =>
        {
            UseGitHub(settings, github);
            settings["Rollback:Providers:gh:GitHub:Token"] = wrongToken;
        });
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        var (rollback, steps, _) = await h.TimelineAsync(id);
        Assert.Contains("credentials were refused (401", rollback.OutcomeReason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongToken, rollback.OutcomeReason + string.Join('\n', steps.Select(s => s.Detail)), StringComparison.Ordinal);
        Assert.Equal(0, github.RunsCreated);
    }

    [Fact]
    public async Task Section6_a_rollback_through_Azure_DevOps_queues_the_pipeline_once_and_succeeds()
    {
        await using var devOps = new FakeAzureDevOps();
        await devOps.StartAsync();
        devOps.OnRunCreated = id => devOps.SetRun(id, "completed", "succeeded");
        var credential = new StaticTokenCredential(devOps.ExpectedToken);
        await using var h = await WorkflowHarness.StartAsync(settings => UseAzureDevOps(settings, devOps),
            services => services.AddSingleton<IDeploymentCredentials>(new FixedDeploymentCredentials(credential)));
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Succeeded, result.Outcome);
        Assert.Equal(1, devOps.RunsCreated);
        var parameters = JsonNode.Parse(Assert.Single(devOps.RequestsTo(FakeAzureDevOps.RunPipeline)).Body)!["templateParameters"]!;
        Assert.Equal(id, parameters["rollbackId"]!.GetValue<string>());
        Assert.Equal("1.1.0", parameters["version"]!.GetValue<string>());
        Assert.Contains("499b84ac-1321-427f-aa17-267ca6975798/.default", credential.Scopes);
    }

    [Fact]
    public async Task Section9_a_partially_succeeded_Azure_DevOps_run_fails_the_rollback_and_says_why_in_the_audit()
    {
        await using var devOps = new FakeAzureDevOps();
        await devOps.StartAsync();
        devOps.OnRunCreated = id => devOps.SetRun(id, "completed", "partiallySucceeded");
        await using var h = await WorkflowHarness.StartAsync(settings => UseAzureDevOps(settings, devOps),
            services => services.AddSingleton<IDeploymentCredentials>(new FixedDeploymentCredentials(new StaticTokenCredential(devOps.ExpectedToken))));
        await h.SeedStandardReleasesAsync();

        var id = (await h.StartedAsync()).RollbackId!;
        var result = await h.WaitForEndAsync(id);

        Assert.Equal(RollbackPhase.Failed, result.Outcome);
        var (rollback, _, _) = await h.TimelineAsync(id);
        Assert.Contains("partially succeeded", rollback.OutcomeReason, StringComparison.Ordinal);
        Assert.NotNull(rollback.Escalation);
        Assert.True((await h.Components.GetAsync(WorkflowHarness.Component)).IsFrozen);
    }

    private static void UseGitHub(Dictionary<string, string?> settings, FakeGitHub github)
    {
        settings["Rollback:Providers:gh:Type"] = "GitHubActions";
        settings["Rollback:Providers:gh:GitHub:ApiBaseUrl"] = github.BaseUri.AbsoluteUri;
        settings["Rollback:Providers:gh:GitHub:Owner"] = FakeGitHub.Owner;
        settings["Rollback:Providers:gh:GitHub:Repository"] = FakeGitHub.Repo;
        settings["Rollback:Providers:gh:GitHub:Workflow"] = FakeGitHub.WorkflowFile;
        settings["Rollback:Providers:gh:GitHub:Token"] = github.ExpectedToken;
        settings["Rollback:Providers:gh:GitHub:RetryBaseDelay"] = "00:00:00.050";
        settings[$"Rollback:Components:{WorkflowHarness.Component}:Provider"] = "gh";
        settings[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false";
    }

    private static void UseAzureDevOps(Dictionary<string, string?> settings, FakeAzureDevOps devOps)
    {
        settings["Rollback:Providers:ado:Type"] = "AzureDevOps";
        settings["Rollback:Providers:ado:AzureDevOps:OrganizationUrl"] = devOps.OrganizationUrl.AbsoluteUri;
        settings["Rollback:Providers:ado:AzureDevOps:Project"] = FakeAzureDevOps.Project;
        settings["Rollback:Providers:ado:AzureDevOps:PipelineId"] = FakeAzureDevOps.PipelineId.ToString(CultureInfo.InvariantCulture);
        settings["Rollback:Providers:ado:AzureDevOps:RetryBaseDelay"] = "00:00:00.050";
        settings[$"Rollback:Components:{WorkflowHarness.Component}:Provider"] = "ado";
        settings[$"Rollback:Components:{WorkflowHarness.Component}:RequireOperatorConfirmation"] = "false";
    }
}
