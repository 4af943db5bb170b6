using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Proxy;

/// <summary>
/// The tcp mode: accepts TLS, terminates it with Tessera, and relays the plaintext both ways to one backend, optionally
/// behind a PROXY protocol v2 header. Closing follows TLS: a client's close_notify half-closes the backend socket (the
/// backend may still answer), the backend's end of stream becomes close_notify to the client. Every connection is
/// reported once, when it ends, through the log callback.
/// </summary>
public sealed class TcpProxy : IProxyListener
{
    private readonly ProxyListenerOptions _options;
    private readonly Action<ProxyConnectionRecord> _log;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private readonly ClientHandshakeLimiter _limiter;
    private Socket? _listener;
    private int _active;
    private volatile TlsServerOptions _tls;

    /// <param name="options">The listener, TLS settings and backend.</param>
    /// <param name="log">Told about every connection when it ends (called concurrently from connection tasks).</param>
    public TcpProxy(ProxyListenerOptions options, Action<ProxyConnectionRecord>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConnections must be at least 1");
        if (options.MaxHandshakesPerClient < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxHandshakesPerClient must be at least 1");
        if (options.Mode != ProxyMode.Tcp) throw new ArgumentException("TcpProxy serves the tcp mode; use ProxyListener.Create", nameof(options));
        _options = options;
        _limiter = new ClientHandshakeLimiter(options.MaxHandshakesPerClient);
        _log = log ?? (_ => { });
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        _tls = options.Tls;
        ProxyMetrics.Serve(this, options.Tls);
    }

    /// <inheritdoc/>
    public ProxyListenerOptions Options => _options;

    /// <summary>The TLS settings new handshakes use: <see cref="ProxyListenerOptions.Tls"/> until <see cref="Reload"/> replaces them.</summary>
    public TlsServerOptions Tls => _tls;

    /// <summary>
    /// New handshakes use <paramref name="tls"/> (new certificates, versions, suites …); connections already established
    /// and handshakes already under way keep what they started with. The options are validated first, so an invalid
    /// set is refused (<see cref="ArgumentException"/>) and the current one stays. Resumption state is the caller's to
    /// carry over (the same ticket protector and session cache keep sessions resumable across the reload).
    /// </summary>
    public void Reload(TlsServerOptions tls)
    {
        ProxyTls.Validate(tls);
        _tls = tls;
        ProxyMetrics.Serve(this, tls);
    }

    /// <summary>Where the proxy listens, once <see cref="Start"/> has bound it.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    /// <summary>Connections being served now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <summary>Binds the listening socket (so a port that is taken fails here, before anything runs).</summary>
    public void Start()
    {
        if (_listener is not null) throw new InvalidOperationException("already started");
        var socket = new Socket(_options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(_options.Listen);
            socket.Listen(1024);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listener = socket;
    }

    /// <summary>
    /// Accepts until <paramref name="stop"/> is cancelled, then stops accepting and lets the connections in flight finish
    /// for up to <paramref name="drain"/>; whatever is left after that is cut.
    /// </summary>
    public async Task RunAsync(TimeSpan drain, CancellationToken stop)
    {
        var listener = _listener ?? throw new InvalidOperationException("call Start first");
        try
        {
            while (true)
            {
                await _slots.WaitAsync(stop).ConfigureAwait(false);
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stop).ConfigureAwait(false);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }
                client.NoDelay = true;
                Track(HandleAsync(client));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: no new connections; the ones in flight drain below.
        }
        finally
        {
            listener.Dispose();
        }
        Task[] inFlight;
        lock (_gate) inFlight = [.. _connections];
        if (await Task.WhenAll(inFlight).WaitAsync(drain).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default).ConfigureAwait(false))
            return;
        await _abort.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private void Track(Task connection)
    {
        lock (_gate) _connections.Add(connection);
        connection.ContinueWith(t => { lock (_gate) _connections.Remove(t); }, TaskScheduler.Default);
    }

    private async Task HandleAsync(Socket client)
    {
        Interlocked.Increment(ref _active);
        ProxyMetrics.Opened();
        var clock = Stopwatch.StartNew();
        var peer = new IPEndPoint(IPAddress.None, 0);   // until read below: a socket reset right after accept has no addresses left
        var relay = new RelayCounters();
        TimeSpan? handshake = null;
        TlsConnection? connection = null;
        ProxyOutcome outcome;
        string? detail = null;
        try
        {
            using (client)
            await using (var tls = new TlsStream(new NetworkStream(client, ownsSocket: false)))
            {
                peer = (IPEndPoint)client.RemoteEndPoint!;
                var local = (IPEndPoint)client.LocalEndPoint!;
                TlsConnection? attempted;
                (outcome, detail, attempted) = await ServeAsync(tls, peer, local, relay).ConfigureAwait(false);
                if (attempted is { IsHandshakeComplete: true }) { connection = attempted; handshake = connection.HandshakeDuration; }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            (outcome, detail) = (ProxyOutcome.TransportError, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A defect in the proxy: this connection ends, the proxy goes on, and the record says what happened.
            (outcome, detail) = (ProxyOutcome.InternalError, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _slots.Release();
        }
        var record = new ProxyConnectionRecord(peer, outcome, detail, connection?.ServerName,
            connection?.NegotiatedVersion is { } v ? GroupNames.OfVersion((ushort)v) : null,
            connection?.CipherSuite is { } s ? GroupNames.Of(s) : null, connection?.ApplicationProtocol, connection?.WasResumed ?? false,
            relay.FromClient, relay.ToClient, handshake, clock.Elapsed);
        ProxyMetrics.Closed(record);
        _log(record);
    }

    /// <summary>The handshake, the backend and the relay; returns how it ended and the connection, once a handshake began.</summary>
    private async Task<(ProxyOutcome, string?, TlsConnection?)> ServeAsync(TlsStream tls, IPEndPoint peer, IPEndPoint local, RelayCounters relay)
    {
        var client = ClientHandshakeLimiter.Key(peer.Address);
        if (!_limiter.TryEnter(client))
            return (ProxyOutcome.Refused, $"{client} already has {_options.MaxHandshakesPerClient} handshakes in progress", null);
        try
        {
            await tls.AuthenticateAsServerAsync(_tls, _abort.Token).ConfigureAwait(false);
        }
        catch (TlsException e)
        {
            return (ProxyOutcome.HandshakeFailed, e.Message, tls.Connection);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return (ProxyOutcome.Stopped, "the proxy stopped during the handshake", tls.Connection);
        }
        finally
        {
            _limiter.Leave(client);
        }

        Socket backend;
        try
        {
            backend = await ConnectBackendAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is SocketException se ? se.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                _ => se.Message,
            } : _abort.IsCancellationRequested ? "the proxy stopped" : $"no answer within {_options.BackendConnectTimeout.TotalSeconds:0.#} s";
            await CloseQuietlyAsync(tls).ConfigureAwait(false);
            return (ProxyOutcome.BackendUnavailable, $"backend {_options.BackendHost}:{_options.BackendPort}: {why}", tls.Connection);
        }

        using (backend)
        {
            var backendStream = new NetworkStream(backend, ownsSocket: false);
            if (_options.ProxyProtocol)
            {
                var c = tls.Connection;
                var header = ProxyProtocolV2.Build(peer, local, new ProxyProtocolV2.TlsInfo(c.ApplicationProtocol, c.ServerName,
                    c.NegotiatedVersion == ProtocolVersion.Tls13 ? "TLSv1.3" : "TLSv1.2", c.CipherSuite is { } s ? GroupNames.Of(s) : null,
                    c.PeerCertificates.Count > 0));
                await backendStream.WriteAsync(header, _abort.Token).ConfigureAwait(false);
            }
            var (outcome, detail) = await RelayAsync(tls, backend, backendStream, relay).ConfigureAwait(false);
            return (outcome, detail, tls.Connection);
        }
    }

    private async Task<Socket> ConnectBackendAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        timeout.CancelAfter(_options.BackendConnectTimeout);
        try
        {
            await socket.ConnectAsync(_options.BackendHost, _options.BackendPort, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Both directions at once, until the backend ends its stream (or either side fails, or nothing moves for the idle timeout).</summary>
    private async Task<(ProxyOutcome, string?)> RelayAsync(TlsStream tls, Socket backend, NetworkStream backendStream, RelayCounters relay)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        idle.CancelAfter(_options.IdleTimeout);
        var up = ClientToBackendAsync(tls, backend, backendStream, relay, idle);
        var down = BackendToClientAsync(backendStream, tls, relay, idle);
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
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return (ProxyOutcome.Stopped, "the proxy stopped and the drain deadline passed");
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !down.IsCompletedSuccessfully)
        {
            await up.ConfigureAwait(false);   // it ends on the same cancellation
            await CloseQuietlyAsync(tls).ConfigureAwait(false);   // a polite end: the client can tell it from a cut
            return (ProxyOutcome.IdleTimeout, $"no data either way for {_options.IdleTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or SocketException or TlsException)
        {
            await idle.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(up, down).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);   // both pumps end before the sockets close
            return (ProxyOutcome.TransportError, e.Message);
        }
    }

    private async Task ClientToBackendAsync(TlsStream tls, Socket backend, NetworkStream backendStream, RelayCounters relay, CancellationTokenSource idle)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await tls.ReadAsync(buffer, idle.Token).ConfigureAwait(false)) > 0)
            {
                idle.CancelAfter(_options.IdleTimeout);
                await backendStream.WriteAsync(buffer.AsMemory(0, n), idle.Token).ConfigureAwait(false);
                relay.AddFromClient(n);
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            return;   // the relay is ending; RelayAsync decides why
        }
        // close_notify from the client: the backend sees end of stream and may still answer.
        backend.Shutdown(SocketShutdown.Send);
    }

    private async Task BackendToClientAsync(NetworkStream backendStream, TlsStream tls, RelayCounters relay, CancellationTokenSource idle)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await backendStream.ReadAsync(buffer, idle.Token).ConfigureAwait(false)) > 0)
        {
            idle.CancelAfter(_options.IdleTimeout);
            await tls.WriteAsync(buffer.AsMemory(0, n), idle.Token).ConfigureAwait(false);
            relay.AddToClient(n);
        }
        await tls.ShutdownAsync(idle.Token).ConfigureAwait(false);
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

    /// <summary>Stops accepting and cuts every connection (use <see cref="RunAsync"/>'s token to drain instead).</summary>
    public async ValueTask DisposeAsync()
    {
        ProxyMetrics.Forget(this);
        await _abort.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        Task[] inFlight;
        lock (_gate) inFlight = [.. _connections];
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        _abort.Dispose();
        _slots.Dispose();
    }

    private sealed class RelayCounters
    {
        private long _fromClient, _toClient;
        public long FromClient => Interlocked.Read(ref _fromClient);
        public long ToClient => Interlocked.Read(ref _toClient);
        public void AddFromClient(int n) => Interlocked.Add(ref _fromClient, n);
        public void AddToClient(int n) => Interlocked.Add(ref _toClient, n);
    }
}
