using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.Cli.Demo;

/// <summary>What one demo connection showed: both ends' view of the handshake and the round trip of one message.</summary>
internal sealed record LoopbackResult(TlsConnection Client, TlsConnection Server, TimeSpan TcpConnect, TimeSpan Handshake, TimeSpan FirstByte, string Echo);

/// <summary>
/// Runs a Tessera server and a Tessera client against each other over real TCP on 127.0.0.1, sends one
/// line and reads it back. Each side has its own socket and TlsStream, exactly as two processes would.
/// </summary>
internal static class LoopbackSession
{
    public static async Task<LoopbackResult> RunAsync(TlsClientOptions clientOptions, TlsServerOptions serverOptions, string message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serverTask = ServeOneAsync(listener, serverOptions, timeout.Token);

            var clock = Stopwatch.StartNew();
            // Nagle plus delayed ACK would hold the first request ~40 ms behind the client Finished.
            using var socket = new TcpClient { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var tcpConnect = clock.Elapsed;

            await using var tls = new TlsStream(socket.GetStream());
            await tls.AuthenticateAsClientAsync(clientOptions, "localhost", timeout.Token);
            var handshake = clock.Elapsed;

            await tls.WriteAsync(Encoding.UTF8.GetBytes(message + "\n"), timeout.Token);
            var reply = new byte[4096];
            var received = 0;
            var firstByte = TimeSpan.Zero;
            while (received == 0 || reply[received - 1] != (byte)'\n')
            {
                var n = await tls.ReadAsync(reply.AsMemory(received), timeout.Token);
                if (n == 0) break;
                if (received == 0) firstByte = clock.Elapsed;
                received += n;
                if (received == reply.Length) break;
            }
            await tls.ShutdownAsync(timeout.Token);
            var server = await serverTask;
            return new LoopbackResult(tls.Connection, server, tcpConnect, handshake, firstByte, Encoding.UTF8.GetString(reply, 0, received).TrimEnd('\n'));
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<TlsConnection> ServeOneAsync(TcpListener listener, TlsServerOptions options, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptTcpClientAsync(cancellationToken);
        socket.NoDelay = true;
        await using var tls = new TlsStream(socket.GetStream());
        await tls.AuthenticateAsServerAsync(options, cancellationToken);
        var buffer = new byte[4096];
        while (true)
        {
            var n = await tls.ReadAsync(buffer, cancellationToken);
            if (n == 0) break;       // close_notify: the client is done
            await tls.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
        await tls.ShutdownAsync(cancellationToken);
        return tls.Connection;
    }
}
