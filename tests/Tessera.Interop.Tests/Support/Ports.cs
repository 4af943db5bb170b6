using System.Net;
using System.Net.Sockets;

namespace Tessera.Interop.Tests.Support;

public static class Ports
{
    /// <summary>An ephemeral loopback port that was free a moment ago (for peers that cannot report the one they bound).</summary>
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Connects to a peer that is starting up, retrying briefly.</summary>
    public static async Task<TcpClient> ConnectAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return client;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                client.Dispose();
                await Task.Delay(50);
            }
        }
    }
}
