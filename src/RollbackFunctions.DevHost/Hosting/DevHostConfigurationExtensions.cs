using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using RollbackFunctions.DevHost.Demo;

namespace RollbackFunctions.DevHost.Hosting;

public static class DevHostConfigurationExtensions
{
    /// <summary>
    /// Configuration, lowest first: appsettings.json, the embedded demo configuration (demo mode), the file named by
    /// <c>--config</c> or ROLLBACK_CONFIG, environment variables (<c>Rollback__Budget</c>), the command line. Also the
    /// default URL (127.0.0.1:7071, like <c>func start</c>), loopback only in demo mode, and the graceful-stop bound.
    /// </summary>
    public static WebApplicationBuilder AddDevHostConfiguration(this WebApplicationBuilder builder, DevHostCommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(commandLine);
        var sources = builder.Configuration.Sources;

        if (commandLine.ConfigFile is not null)
        {
            if (!File.Exists(commandLine.ConfigFile))
            {
                throw new FileNotFoundException($"The configuration file named by --config or {DevHostCommandLine.ConfigFileVariable} does not exist.", commandLine.ConfigFile);
            }

            sources.Insert(EnvironmentVariablesIndex(sources), new JsonConfigurationSource
            {
                Path = Path.GetFileName(commandLine.ConfigFile),
                Optional = false,
                ReloadOnChange = false,
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(commandLine.ConfigFile)!),
            });
        }

        var section = builder.Configuration.GetSection(DevHostOptions.SectionName);
        var demo = commandLine.Demo || section.GetValue<bool>(nameof(DevHostOptions.Demo));
        if (demo)
        {
            // Under the user's file and variables, so a demo can be adjusted without editing the embedded defaults.
            var afterAppSettings = sources.ToList().FindLastIndex(s => s is JsonConfigurationSource { Path: not null } json
                && json.Path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) + 1;
            var ports = SimulatorPorts(section.GetValue<int>(nameof(DevHostOptions.SimulatorPort)));
            sources.Insert(afterAppSettings, DemoConfiguration.Source(ports));
            builder.Configuration[$"{DevHostOptions.SectionName}:{nameof(DevHostOptions.Demo)}"] = "true";
            builder.Services.AddSingleton(ports);
            builder.Services.AddHostedService<DemoSimulators>();
        }

        builder.Services.AddHostedService<StartupBanner>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DevHostOptions.DefaultUrl);
        }

        builder.Services.AddOptions<DevHostOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DevHostOptions>, DemoListenAddressValidator>();
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = section.GetValue<TimeSpan?>(nameof(DevHostOptions.ShutdownTimeout)) ?? new DevHostOptions().ShutdownTimeout);
        return builder;
    }

    private static DemoSimulatorPorts SimulatorPorts(int first) => first > 0
        ? new DemoSimulatorPorts(first, first + 1, first + 2)
        : new DemoSimulatorPorts(LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());

    /// <summary>Where the unprefixed environment variables are read: everything inserted here sits under them.</summary>
    private static int EnvironmentVariablesIndex(IList<IConfigurationSource> sources)
    {
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                return i;
            }
        }

        return sources.Count;
    }
}
