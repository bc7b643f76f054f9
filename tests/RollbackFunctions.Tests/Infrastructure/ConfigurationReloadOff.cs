using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace RollbackFunctions.Tests.Infrastructure;

/// <summary>
/// The in-memory Durable Task sidecar (<c>AddInMemoryDurableTask</c>) builds a default host of its own, which watches the
/// test folder for appsettings changes. Each watch is an inotify instance, Linux allows 128 per user by default, and
/// a test run holds dozens of these hosts at once: past the limit every further host fails at start. The variable is
/// the hosting default's own switch; the hosts the tests build themselves turn the reload off explicitly
/// (<c>LoopbackWebApplication</c>, the dev host's command line), and the dev host processes do not inherit it.
/// </summary>
internal static class ConfigurationReloadOff
{
    public const string Variable = "DOTNET_hostBuilder__reloadConfigOnChange";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: the setting must hold before any test builds a host.")]
    internal static void ForThisProcess() => Environment.SetEnvironmentVariable(Variable, "false");
}
