using System.ComponentModel.DataAnnotations;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>The "DevHost" section: how the local host itself runs.</summary>
public sealed class DevHostOptions
{
    public const string SectionName = "DevHost";

    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Start the loopback simulators and the embedded demo configuration (also <c>--demo</c>).</summary>
    public bool Demo { get; set; }

    /// <summary>Port of the demo simulators (deployment API, probes, incident sink); 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int SimulatorPort { get; set; }

    /// <summary>
    /// How long a graceful stop (Ctrl-C, SIGTERM) waits for in-flight work. Whatever is cut off stays in the task hub's
    /// queues and runs again after the next start, so a short wait loses nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Let this host start although another live dev host uses the same tables or task hub (<see cref="StorageLease"/>).
    /// Off by default: two such hosts take each other's work.
    /// </summary>
    public bool AllowSharedStorage { get; set; }
}
