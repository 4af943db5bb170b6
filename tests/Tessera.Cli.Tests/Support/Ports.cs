using System.Net;
using System.Net.Sockets;

namespace Tessera.Cli.Tests.Support;

internal static class Ports
{
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
