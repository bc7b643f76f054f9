using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration.Json;

namespace RollbackFunctions.DevHost.Demo;

/// <summary>Loopback ports of the demo simulators.</summary>
public sealed record DemoSimulatorPorts(int DeploymentApi, int Endpoints, int Incidents)
{
    public static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
}

/// <summary>The embedded demo configuration (Demo/demo.json), pointed at the simulators' ports.</summary>
internal static class DemoConfiguration
{
    private const string ResourceName = "RollbackFunctions.DevHost.Demo.demo.json";

    public static IConfigurationSource Source(DemoSimulatorPorts ports)
    {
        using var resource = typeof(DemoConfiguration).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(resource, Encoding.UTF8);
        var json = reader.ReadToEnd()
            .Replace("{deployments}", DemoSimulatorPorts.Url(ports.DeploymentApi), StringComparison.Ordinal)
            .Replace("{endpoints}", DemoSimulatorPorts.Url(ports.Endpoints), StringComparison.Ordinal)
            .Replace("{incidents}", DemoSimulatorPorts.Url(ports.Incidents), StringComparison.Ordinal);
        return new JsonStreamConfigurationSource { Stream = new MemoryStream(Encoding.UTF8.GetBytes(json)) };
    }
}
