using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace RollbackFunctions.Simulators;

/// <summary>The builder for every small loopback server: the simulators, and the fakes the tests and benchmarks start.</summary>
public static class LoopbackWebApplication
{
    /// <summary>
    /// Turns off the default reload of configuration files. A reload watch costs an inotify instance, a test run starts
    /// dozens of these servers side by side, and Linux allows 128 instances per user by default: past that, every
    /// further server fails at start.
    /// </summary>
    public const string NoConfigurationReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>A slim builder, without log output, listening on 127.0.0.1 at <paramref name="port"/> (0: a free one).</summary>
    public static WebApplicationBuilder CreateBuilder(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [NoConfigurationReload] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        return builder;
    }
}
