using System.Net;
using System.Net.Sockets;

namespace PressMcp.Tests.Infrastructure;

/// <summary>A loopback port free at the moment of asking, for a server a test starts (the system picks it).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
