using System.Net;
using System.Net.Sockets;

namespace Tessera.Scan;

/// <summary>One whole Tessera handshake for a probe that needs more than a ServerHello, ended with close_notify.</summary>
internal static class ScanConnection
{
    /// <summary>The finished connection (its properties stay readable after the stream is gone), or why there is none.</summary>
    public sealed record Attempt(TlsConnection? Connection, string? Error, string? Data = null);

    /// <summary>
    /// Connects, runs the handshake, lets <paramref name="during"/> use the stream, then sends close_notify and waits
    /// briefly for the server's: OpenSSL drops a session from its cache when the connection ends without one, so a
    /// probe that just hung up would see session-ID resumption fail where it works.
    /// </summary>
    public static async Task<Attempt> RunAsync(ScanOptions options, IPEndPoint endpoint, TlsClientOptions tlsOptions, byte[] earlyData,
        Func<TlsStream, Task<string?>>? during, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ProbeTimeout);
        try
        {
            await tcp.ConnectAsync(endpoint, deadline.Token);
            await using var tls = new TlsStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(tlsOptions, options.ServerName ?? options.Target.Host, earlyData, deadline.Token);
            var data = during is null ? null : await during(tls);
            await tls.ShutdownAndDrainAsync(TimeSpan.FromMilliseconds(250), cancellationToken);
            return new Attempt(tls.Connection, null, data);
        }
        catch (Exception e) when (e is TlsException or SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Attempt(null, e is OperationCanceledException ? "timed out" : e.Message);
        }
    }
}
