using System.ComponentModel.DataAnnotations;

namespace RollbackFunctions.DevHost.DurableEngine;

public enum DurableEngineMode
{
    /// <summary>The Durable Task Azure Storage provider: the task hub layout the Functions app uses in Azure; survives restarts.</summary>
    AzureStorage,

    /// <summary>Everything in process memory: fast, and forgotten when the process ends.</summary>
    InMemory,
}

/// <summary>The "DurableEngine" section: which engine runs the orchestrations and how it polls and recovers.</summary>
public sealed class DurableEngineOptions
{
    public const string SectionName = "DurableEngine";

    public DurableEngineMode Mode { get; set; } = DurableEngineMode.AzureStorage;

    /// <summary>The named connection of the task hub's storage, the same setting the Functions app reads.</summary>
    [Required]
    public string ConnectionName { get; set; } = "DurableTaskStorage";

    /// <summary>The setting that names the task hub (host.json reads <c>%RollbackTaskHub%</c>).</summary>
    [Required]
    public string TaskHubSetting { get; set; } = "RollbackTaskHub";

    /// <summary>Used when the task hub setting is absent.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "A task hub name is 3-45 letters or digits, starting with a letter.")]
    public string DefaultTaskHub { get; set; } = "RollbackHub";

    /// <summary>Same as host.json, so a hub written by one host is readable by the other.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Longest wait between queue polls when idle; short, so a rollback step is picked up within it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a dequeued activity stays invisible. The in-process sidecar does not renew it, so it must exceed the
    /// longest activity (they are short: deployment progress is polled with durable timers); after a crash it is also
    /// how long an interrupted activity waits before it runs again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The same for orchestration messages (episodes take milliseconds).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Activities the engine runs at once, on either engine (host.json's <c>maxConcurrentActivityFunctions</c>). An
    /// activity holds its slot while it waits on an external call (200 ms or more), so the slots bound how many
    /// rollbacks progress together: at 10, a hundred components alerted at once queued for them (the regional-incident
    /// benchmark). When every slot is taken the engine looks again only every 500 ms.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>Orchestration episodes the engine runs at once (host.json's <c>maxConcurrentOrchestratorFunctions</c>).</summary>
    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Loopback port of the in-process gRPC sidecar the worker and client talk to; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int SidecarPort { get; set; }

    /// <summary>
    /// The orchestration version this host's build is labelled with (README, "Versions of the workflow"); new rollbacks
    /// are stamped with it and the worker accepts it and older versions it holds. Leave it at the library's
    /// <see cref="RollbackFunctions.Workflow.WorkflowVersion.Current"/>; tests set it to stand in for an earlier or later build.
    /// </summary>
    [RegularExpression("^[0-9]{1,9}(\\.[0-9]{1,9}){0,3}$", ErrorMessage = "A workflow version is a dotted number such as 2 or 2.1.")]
    public string WorkflowVersion { get; set; } = RollbackFunctions.Workflow.WorkflowVersion.Current;

    /// <summary>
    /// Fault injection for tests, InMemory mode only: durable timers due more than twice this far ahead fire this much
    /// early, as the Azure Storage engine's can (up to about a second). Zero (the default) fires them on time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan InMemoryTimersFireEarlyBy { get; set; }

    /// <summary>Resolves the task hub name from configuration the way host.json does.</summary>
    public string TaskHubName(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[TaskHubSetting];
        return string.IsNullOrWhiteSpace(configured) ? DefaultTaskHub : configured;
    }
}
