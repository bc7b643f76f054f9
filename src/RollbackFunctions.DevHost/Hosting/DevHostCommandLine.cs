namespace RollbackFunctions.DevHost.Hosting;

/// <summary>
/// The dev host's own switches, taken out before ASP.NET Core reads the rest: its command-line configuration would
/// otherwise read <c>--demo --config x</c> as <c>demo=--config</c>.
/// </summary>
/// <param name="Demo"><c>--demo</c>: start the simulators and the embedded demo configuration.</param>
/// <param name="ConfigFile"><c>--config &lt;path&gt;</c> (or the ROLLBACK_CONFIG environment variable): a JSON file over appsettings.json.</param>
/// <param name="HostArguments">Everything else (<c>--urls</c>, <c>--Rollback:Budget=00:04:00</c>, ...).</param>
public sealed record DevHostCommandLine(bool Demo, string? ConfigFile, string[] HostArguments)
{
    public const string ConfigFileVariable = "ROLLBACK_CONFIG";

    /// <summary>
    /// The rest of the command line, and the app's folder as content root so appsettings.json is found from any working
    /// directory. Configuration files are read once: options are validated at start, so a file changed under a running
    /// host would bypass that check, and each reload watch costs an inotify instance (128 per user by default).
    /// </summary>
    public WebApplicationOptions BuilderOptions() => new()
    {
        Args = [Simulators.LoopbackWebApplication.NoConfigurationReload, .. HostArguments],
        ContentRootPath = AppContext.BaseDirectory,
    };

    public static DevHostCommandLine Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var demo = false;
        string? configFile = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--demo":
                    demo = true;
                    break;
                case "--config" when i + 1 < args.Length:
                    configFile = args[++i];
                    break;
                case "--config":
                    throw new ArgumentException("--config needs a path: --config <file.json>", nameof(args));
                default:
                    if (args[i].StartsWith("--config=", StringComparison.Ordinal))
                    {
                        configFile = args[i]["--config=".Length..];
                    }
                    else
                    {
                        rest.Add(args[i]);
                    }

                    break;
            }
        }

        configFile ??= Environment.GetEnvironmentVariable(ConfigFileVariable);
        return new DevHostCommandLine(demo, string.IsNullOrWhiteSpace(configFile) ? null : Path.GetFullPath(configFile), [.. rest]);
    }
}
