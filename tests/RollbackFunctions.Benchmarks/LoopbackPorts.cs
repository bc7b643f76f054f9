using System.Net;
using System.Net.Sockets;

namespace RollbackFunctions.Benchmarks;

internal static class LoopbackPorts
{
    /// <summary>A port on 127.0.0.1 that nothing listens on now (for the in-process engine's gRPC server and the dev host).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
