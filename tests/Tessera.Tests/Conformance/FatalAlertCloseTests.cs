using System.Net;
using System.Net.Sockets;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Conformance;

/// <summary>
/// After a fatal alert a TlsStream over a socket sends its FIN right behind the alert, and only then drains what the
/// peer sent: a peer that keeps its own side open sees the end of the connection while the server is still draining,
/// not when the server finally closes.
/// </summary>
public sealed class FatalAlertCloseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_Fin_Follows_The_Alert_At_Once_While_The_Server_Still_Drains()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptSocketAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverSocket = await accepting.WaitAsync(Timeout);
        await using var server = new TlsStream(new NetworkStream(serverSocket, ownsSocket: true));
        var handshake = server.AuthenticateAsServerAsync(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));

        // A TLS 1.2 ClientHello whose extension block ends inside an extension, the handshake length consistent.
        await client.SendAsync(TruncatedExtensionHello());
        var received = new List<byte>();
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0) break;   // the FIN
            received.AddRange(buffer.AsSpan(0, n));
        }
        // The FIN arrived while the server is still draining (this client has not closed), not after it gave up.
        Assert.False(handshake.IsCompleted, "the FIN came only when the server stopped draining and closed");
        Assert.Equal([21, 3, 3, 0, 2, 2, (byte)AlertDescription.DecodeError], received.ToArray());

        client.Shutdown(SocketShutdown.Send);   // the client's own close ends the drain
        var e = await Assert.ThrowsAsync<TlsException>(() => handshake.WaitAsync(Timeout));
        Assert.Equal(AlertDescription.DecodeError, e.Alert);
    }

    private static byte[] TruncatedExtensionHello()
    {
        // legacy_version TLS 1.2, no supported_versions; one suite; extensions: server_name declaring 20 bytes of
        // which only 4 are in the block.
        byte[] extensions = [0x00, 0x00, 0x00, 20, 0, 2, (byte)'a', (byte)'b'];
        byte[] body =
        [
            3, 3, .. new byte[32], 0,
            0, 2, 0xc0, 0x2b,
            1, 0,
            (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions,
        ];
        byte[] message = [1, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body];
        return [22, 3, 1, (byte)(message.Length >> 8), (byte)message.Length, .. message];
    }
}
