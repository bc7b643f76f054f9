using System.Net;
using System.Net.Sockets;

namespace RollbackFunctions.DevHost.Hosting;

internal static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 now (the OS's choice; the caller binds it right after).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
