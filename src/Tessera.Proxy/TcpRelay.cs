using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Proxy;

/// <summary>
/// The tcp mode for one connection: the Tessera handshake with the site's settings, the backend connect, the optional
/// PROXY protocol v2 header, then both directions relayed. Closing follows TLS: a client's close_notify half-closes
/// the backend socket (the backend may still answer), the backend's end of stream becomes close_notify to the client.
/// </summary>
internal sealed class TcpRelay(ProxyConnection connection, ProxyListenerOptions options, CancellationToken abort)
{
    private readonly TimeSpan _idleTimeout = options.IdleTimeout;
    private long _fromClient, _toClient;

    public long FromClient => Interlocked.Read(ref _fromClient);
    public long ToClient => Interlocked.Read(ref _toClient);

    /// <summary>Handshake, backend, relay; returns how it ended (the handshake slot is given back once the handshake ends).</summary>
    public async Task<(ProxyOutcome, string?)> ServeAsync(TlsStream tls, IPEndPoint peer, IPEndPoint local)
    {
        var site = connection.Site;
        try
        {
            await tls.AuthenticateAsServerAsync(site.Tls, abort).ConfigureAwait(false);
        }
        catch (TlsException e)
        {
            return (ProxyOutcome.HandshakeFailed, e.Message);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return (ProxyOutcome.Stopped, "the proxy stopped during the handshake");
        }
        finally
        {
            connection.LeaveHandshake(tls.Connection.IsHandshakeComplete);
        }

        Socket backend;
        try
        {
            backend = await ConnectBackendAsync(site, options.BackendConnectTimeout, abort).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is SocketException se ? se.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                _ => se.Message,
            } : abort.IsCancellationRequested ? "the proxy stopped" : $"no answer within {options.BackendConnectTimeout.TotalSeconds:0.#} s";
            await CloseQuietlyAsync(tls).ConfigureAwait(false);
            return (ProxyOutcome.BackendUnavailable, $"backend {site.Backend}: {why}");
        }

        using (backend)
        {
            var backendStream = new NetworkStream(backend, ownsSocket: false);
            if (site.ProxyProtocol)
            {
                var c = tls.Connection;
                var header = ProxyProtocolV2.Build(peer, local, new ProxyProtocolV2.TlsInfo(c.ApplicationProtocol, c.ServerName,
                    c.NegotiatedVersion == ProtocolVersion.Tls13 ? "TLSv1.3" : "TLSv1.2", c.CipherSuite is { } s ? TlsNames.Of(s) : null,
                    c.PeerCertificates.Count > 0));
                await backendStream.WriteAsync(header, abort).ConfigureAwait(false);
            }
            return await RelayAsync(tls, backend, backendStream).ConfigureAwait(false);
        }
    }

    private static async Task<Socket> ConnectBackendAsync(ProxySite site, TimeSpan connectTimeout, CancellationToken abort)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(site.BackendHost, site.BackendPort, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Both directions at once, until the backend ends its stream (or either side fails, or nothing moves for the idle timeout).</summary>
    private async Task<(ProxyOutcome, string?)> RelayAsync(TlsStream tls, Socket backend, NetworkStream backendStream)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(abort);
        idle.CancelAfter(_idleTimeout);
        var up = ClientToBackendAsync(tls, backend, backendStream, idle);
        var down = BackendToClientAsync(backendStream, tls, idle);
        try
        {
            // A client that fails (a reset, a cut without close_notify) must end the relay now: its backend would otherwise
            // wait for more bytes until the idle timeout. A client's clean close_notify only half-closes, and the backend
            // may still answer.
            if (await Task.WhenAny(up, down).ConfigureAwait(false) == up) await up.ConfigureAwait(false);
            await down.ConfigureAwait(false);
            // The backend is done and the client has close_notify; what the client still sends has nowhere to go.
            await idle.CancelAsync().ConfigureAwait(false);
            await up.ConfigureAwait(false);
            return (ProxyOutcome.Completed, null);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return (ProxyOutcome.Stopped, "the proxy stopped and the drain deadline passed");
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !down.IsCompletedSuccessfully)
        {
            await up.ConfigureAwait(false);   // it ends on the same cancellation
            await CloseQuietlyAsync(tls).ConfigureAwait(false);   // a polite end: the client can tell it from a cut
            return (ProxyOutcome.IdleTimeout, $"no data either way for {_idleTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or SocketException or TlsException)
        {
            await idle.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(up, down).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);   // both pumps end before the sockets close
            return (ProxyOutcome.TransportError, e.Message);
        }
    }

    // A pump waits for data with a zero-byte read and rents a buffer only to move what arrived: an idle connection
    // holds no relay buffers (with TlsStream's own trimming, none of record size at all).
    private const int Chunk = 16 * 1024;

    private async Task ClientToBackendAsync(TlsStream tls, Socket backend, NetworkStream backendStream, CancellationTokenSource idle)
    {
        try
        {
            await PumpAsync(tls, backendStream, toBackend: true, idle).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            return;   // the relay is ending; RelayAsync decides why
        }
        // close_notify from the client: the backend sees end of stream and may still answer.
        backend.Shutdown(SocketShutdown.Send);
    }

    private async Task BackendToClientAsync(NetworkStream backendStream, TlsStream tls, CancellationTokenSource idle)
    {
        await PumpAsync(backendStream, tls, toBackend: false, idle).ConfigureAwait(false);
        await tls.ShutdownAsync(idle.Token).ConfigureAwait(false);
    }

    /// <summary>Copies until <paramref name="from"/> ends; each chunk restarts the idle timeout and is counted.</summary>
    private async Task PumpAsync(Stream from, Stream to, bool toBackend, CancellationTokenSource idle)
    {
        while (true)
        {
            await from.ReadAsync(Memory<byte>.Empty, idle.Token).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
            var n = 0;
            try
            {
                n = await from.ReadAsync(buffer.AsMemory(0, Chunk), idle.Token).ConfigureAwait(false);
                if (n == 0) return;
                idle.CancelAfter(_idleTimeout);
                await to.WriteAsync(buffer.AsMemory(0, n), idle.Token).ConfigureAwait(false);
                Interlocked.Add(ref toBackend ? ref _fromClient : ref _toClient, n);
            }
            finally
            {
                buffer.AsSpan(0, n).Clear();   // plaintext, one way or the other
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task CloseQuietlyAsync(TlsStream tls)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await tls.ShutdownAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TlsException or IOException or OperationCanceledException)
        {
            // The client is gone already; the record says why the connection ended.
        }
    }
}
