using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration.Json;

namespace RollbackFunctions.DevHost.Demo;

/// <summary>The embedded demo configuration, pointed at the simulators' loopback port.</summary>
internal static class DemoConfiguration
{
    private const string ResourceName = "RollbackFunctions.DevHost.Demo.demo.json";

    public static string SimulatorsBaseUrl(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    public static IConfigurationSource Source(int simulatorPort)
    {
        using var resource = typeof(DemoConfiguration).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(resource, Encoding.UTF8);
        var json = reader.ReadToEnd().Replace("{simulators}", SimulatorsBaseUrl(simulatorPort), StringComparison.Ordinal);
        return new JsonStreamConfigurationSource { Stream = new MemoryStream(Encoding.UTF8.GetBytes(json)) };
    }
}
