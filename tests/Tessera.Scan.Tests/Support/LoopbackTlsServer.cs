using System.Net;
using System.Net.Sockets;
using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Scan.Tests.Support;

/// <summary>
/// A Tessera TLS server on a free loopback port that handshakes every connection with one credential and closes it;
/// or, with no credential, a blackhole: it accepts and never answers. Stops what it started on dispose.
/// </summary>
public sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _held = [];
    private readonly Task _accepting;

    public LoopbackTlsServer(TlsCredential? credential, Func<TlsServerOptions, TlsServerOptions>? configure = null)
    {
        _listener.Start(512);
        _accepting = AcceptAsync(credential, configure ?? (o => o));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Handshakes;
    public int Failures;

    private async Task AcceptAsync(TlsCredential? credential, Func<TlsServerOptions, TlsServerOptions> configure)
    {
        var options = credential is null ? null : configure(new TlsServerOptions { Certificates = [credential] });
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            if (options is null)
            {
                lock (_held) _held.Add(socket);   // accepted, never read: the probe's timeout is all that ends it
                continue;
            }
            _ = Task.Run(async () =>
            {
                using (socket)
                {
                    try
                    {
                        await using var tls = new TlsStream(new NetworkStream(socket, ownsSocket: false));
                        await tls.AuthenticateAsServerAsync(options, _stop.Token);
                        Interlocked.Increment(ref Handshakes);
                        await tls.ShutdownAndDrainAsync(TimeSpan.FromSeconds(1), _stop.Token);
                    }
                    catch (Exception e) when (e is TlsException or IOException or SocketException or OperationCanceledException)
                    {
                        Interlocked.Increment(ref Failures);   // a probe that gave up mid-handshake, or the stop
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        lock (_held) foreach (var s in _held) s.Dispose();
        _stop.Dispose();
    }
}
