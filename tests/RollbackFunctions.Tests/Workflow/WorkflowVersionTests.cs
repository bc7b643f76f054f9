using System.Text.Json;
using Microsoft.DurableTask.Worker;
using RollbackFunctions.Tests.Infrastructure;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Workflow;

/// <summary>The Functions app (host.json) and the dev host's engine version orchestrations the same way (docs/CONFIGURATION.md, "Versions of the workflow").</summary>
public sealed class WorkflowVersionTests
{
    [Fact]
    public void Host_json_stamps_and_checks_the_same_version_as_the_library()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        var durableTask = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var versioning = WorkflowVersion.Versioning(WorkflowVersion.Current);

        Assert.Equal(WorkflowVersion.Current, durableTask.GetProperty("defaultVersion").GetString());
        Assert.Equal(versioning.MatchStrategy.ToString(), durableTask.GetProperty("versionMatchStrategy").GetString());
        Assert.Equal(versioning.FailureStrategy.ToString(), durableTask.GetProperty("versionFailureStrategy").GetString());
        Assert.Equal(
            (WorkflowVersion.Current, WorkflowVersion.Current, DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder, DurableTaskWorkerOptions.VersionFailureStrategy.Fail),
            (versioning.Version, versioning.DefaultVersion, versioning.MatchStrategy, versioning.FailureStrategy));
    }

    [Theory]
    [InlineData(WorkflowVersion.Current, true)]
    [InlineData("", false)]  // the pre-rebuild orchestrator, unversioned
    [InlineData("1", false)]
    [InlineData("2", false)] // before abort and notifications
    [InlineData("4", false)]
    public void The_Functions_wrapper_runs_only_versions_whose_logic_the_build_holds(string version, bool runnable) =>
        Assert.Equal(runnable, WorkflowVersion.IsRunnable(version));
}
