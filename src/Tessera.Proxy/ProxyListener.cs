using System.Net;
using System.Net.Sockets;
using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>
/// One listening address of the proxy. It accepts (up to <see cref="ProxyListenerOptions.MaxConnections"/> at once),
/// counts handshakes in progress per client address, reads the ClientHello to choose a site by SNI (only when there
/// is more than one), and serves the connection in the site's mode: tcp here (<see cref="TcpRelay"/>), http by
/// handing the connection to the listener's Kestrel (<see cref="HttpSiteHost"/>). Every connection is reported once,
/// when it ends; in http mode every request too.
/// </summary>
public sealed class ProxyListener : IAsyncDisposable
{
    private readonly Action<ProxyConnectionRecord> _log;
    private readonly Action<ProxyRequestRecord> _requests;
    private readonly SemaphoreSlim _slots;
    private readonly ClientHandshakeLimiter _limiter;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private volatile ProxyListenerOptions _options;
    private HttpSiteHost? _http;
    private Socket? _listener;
    private int _active;

    /// <param name="options">The address, the sites and the limits (validated here: <see cref="ArgumentException"/> names the problem).</param>
    /// <param name="connections">Told about every connection when it ends (called concurrently).</param>
    /// <param name="requests">Told about every HTTP request (sites in http mode) when its response ends (called concurrently).</param>
    public ProxyListener(ProxyListenerOptions options, Action<ProxyConnectionRecord>? connections = null, Action<ProxyRequestRecord>? requests = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = connections ?? (_ => { });
        _requests = requests ?? (_ => { });
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        _limiter = new ClientHandshakeLimiter(options.MaxHandshakesPerClient);
        ProxyMetrics.Serve(this, options);
    }

    /// <summary>The sites and limits new connections get: the constructor's until <see cref="Reload"/> replaces them.</summary>
    public ProxyListenerOptions Options => _options;

    /// <summary>Where the listener listens, once <see cref="Start"/> has bound it.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    /// <summary>Connections being served now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <summary>Binds the listening socket (so a port that is taken fails here, before anything runs), and starts Kestrel if a site is in http mode.</summary>
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
        if (HasHttpSite(_options)) StartHttp();
    }

    /// <summary>
    /// New connections get <paramref name="next"/>'s sites (certificates, versions, backends, modes …); connections
    /// already accepted keep the site they were given. The options are validated first, so an invalid set is refused
    /// (<see cref="ArgumentException"/>, naming the site and the problem) and the current one stays. The address and
    /// the two connection limits are the listening socket's and the counters': changing them needs a restart.
    /// Resumption state is the caller's to carry over (the same ticket protector and session cache in the new sites'
    /// TLS settings keep sessions resumable across the reload).
    /// </summary>
    public void Reload(ProxyListenerOptions next)
    {
        ArgumentNullException.ThrowIfNull(next);
        next.Validate();
        var current = _options;
        if (!next.Listen.Equals(current.Listen)) throw new ArgumentException($"the listen address changed from {current.Listen} to {next.Listen}; that needs a restart");
        if (next.MaxConnections != current.MaxConnections) throw new ArgumentException("MaxConnections changed; that needs a restart");
        if (next.MaxHandshakesPerClient != current.MaxHandshakesPerClient) throw new ArgumentException("MaxHandshakesPerClient changed; that needs a restart");
        lock (_gate)
        {
            if (_listener is not null && _http is null && HasHttpSite(next)) StartHttp();
            _options = next;
        }
        ProxyMetrics.Serve(this, next);
    }

    private static bool HasHttpSite(ProxyListenerOptions options)
    {
        foreach (var s in options.Sites) if (s.Mode == ProxyMode.Http) return true;
        return false;
    }

    private void StartHttp()
    {
        var host = new HttpSiteHost(this, _requests);
        host.Start();
        _http = host;
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
        var httpDrained = _http is { } http ? http.StopAsync(drain) : Task.CompletedTask;
        if (!await Task.WhenAll(inFlight).WaitAsync(drain).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default).ConfigureAwait(false))
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        await httpDrained.ConfigureAwait(false);
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
        var options = _options;
        ProxyConnection? connection = null;
        var handedOff = false;
        try
        {
            IPEndPoint peer, local;
            try
            {
                peer = (IPEndPoint)client.RemoteEndPoint!;
                local = (IPEndPoint)client.LocalEndPoint!;
            }
            catch (SocketException)
            {
                // Reset right after accept: nothing to serve, nothing to report.
                Finished(new ProxyConnectionRecord(new IPEndPoint(IPAddress.None, 0), ProxyOutcome.TransportError, "reset before it could be served", null, null, null, null, false, 0, 0, null, TimeSpan.Zero));
                return;
            }
            var address = ClientHandshakeLimiter.Key(peer.Address);
            if (!_limiter.TryEnter(address))
            {
                Finished(new ProxyConnectionRecord(peer, ProxyOutcome.Refused, $"{address} already has {_limiter.MaxPerClient} handshakes in progress", null, null, null, null, false, 0, 0, null, TimeSpan.Zero));
                return;
            }

            // With one site there is nothing to choose: the handshake reads the ClientHello itself (unless an ACME
            // validator may be calling, whose acme-tls/1 hello must be seen before any site's handshake).
            ClientHelloSniffer.Result hello = default;
            var site = options.Sites[0];
            if (options.Sites.Count > 1 || options.AcmeTlsAlpn is not null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
                timeout.CancelAfter(options.SiteFor(null).Tls.HandshakeTimeout);
                try
                {
                    hello = await ClientHelloSniffer.ReadAsync(client, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    _limiter.Leave(address);
                    var why = e is SocketException se ? se.Message : _abort.IsCancellationRequested ? "the proxy stopped during the handshake" : "no complete ClientHello within the handshake timeout";
                    Finished(new ProxyConnectionRecord(peer, e is SocketException ? ProxyOutcome.TransportError : _abort.IsCancellationRequested ? ProxyOutcome.Stopped : ProxyOutcome.HandshakeFailed,
                        why, null, null, null, null, false, 0, 0, null, TimeSpan.Zero));
                    return;
                }
                site = options.SiteFor(hello.ServerName);
                if (hello.OffersAcmeTls && options.AcmeTlsAlpn?.Invoke(hello.ServerName) is { } validation)
                {
                    var acme = new ProxySite { Name = site.Name, Tls = new TlsServerOptions { Certificates = [validation], ApplicationProtocols = [Tessera.Acme.TlsAlpn01Certificate.Protocol], MinVersion = Wire.ProtocolVersion.Tls12 }, BackendHost = site.BackendHost, BackendPort = site.BackendPort };
                    connection = new ProxyConnection(peer, acme, _limiter, Finished);
                    await AnswerTlsAlpn01Async(client, hello, connection).ConfigureAwait(false);
                    return;
                }
            }
            connection = new ProxyConnection(peer, site, _limiter, Finished);
            var alreadyRead = hello.Buffer is null ? ReadOnlyMemory<byte>.Empty : hello.Buffer.AsMemory(0, hello.Length);

            if (site.Mode == ProxyMode.Http)
            {
                var handoff = new Handoff.HandoffConnection(client, alreadyRead);
                handoff.Features.Set(connection);
                if (_http is { } http && http.Offer(handoff))
                {
                    handedOff = true;   // Kestrel owns the socket now; its connection middleware finishes the record
                    return;
                }
                await handoff.DisposeAsync().ConfigureAwait(false);
                connection.Finish(ProxyOutcome.Stopped, "the proxy is stopping", null, 0, 0);
                return;
            }

            var relay = new TcpRelay(connection, options, _abort.Token);
            ProxyOutcome outcome;
            string? detail;
            TlsStream? tls = null;
            try
            {
                await using (tls = new TlsStream(new Handoff.ReplayStream(alreadyRead, new NetworkStream(client, ownsSocket: false))))
                    (outcome, detail) = await relay.ServeAsync(tls, peer, local).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                (outcome, detail) = (ProxyOutcome.TransportError, e.Message);
            }
            connection.Finish(outcome, detail, tls?.Connection, relay.FromClient, relay.ToClient);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A defect in the proxy: this connection ends, the proxy goes on, and the record says what happened.
            var record = new ProxyConnectionRecord(connection?.Client ?? new IPEndPoint(IPAddress.None, 0), ProxyOutcome.InternalError, $"{e.GetType().Name}: {e.Message}", null, null, null, null, false, 0, 0, null, TimeSpan.Zero);
            if (connection is null) Finished(record);
            else connection.Finish(ProxyOutcome.InternalError, record.Detail, null, 0, 0);
        }
        finally
        {
            if (!handedOff) client.Dispose();
        }
    }

    /// <summary>
    /// An ACME validator's tls-alpn-01 connection (RFC 8737 §3): the handshake with the validation certificate and
    /// acme-tls/1, then the connection is closed; nothing reaches a backend.
    /// </summary>
    private async Task AnswerTlsAlpn01Async(Socket client, ClientHelloSniffer.Result hello, ProxyConnection connection)
    {
        TlsStream? tls = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            timeout.CancelAfter(connection.Site.Tls.HandshakeTimeout);
            tls = new TlsStream(new Handoff.ReplayStream(hello.Buffer.AsMemory(0, hello.Length), new NetworkStream(client, ownsSocket: false)));
            await tls.AuthenticateAsServerAsync(connection.Site.Tls, timeout.Token).ConfigureAwait(false);
            await tls.ShutdownAsync(timeout.Token).ConfigureAwait(false);
            connection.Finish(ProxyOutcome.Completed, "answered an ACME tls-alpn-01 validation", tls.Connection, 0, 0);
        }
        catch (Exception e) when (e is TlsException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Finish(ProxyOutcome.HandshakeFailed, $"ACME tls-alpn-01 validation: {e.Message}", tls?.Connection, 0, 0);
        }
        finally
        {
            if (tls is not null) await tls.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A connection's end, whichever mode served it: its place in the limit is given back and it is reported.</summary>
    private void Finished(ProxyConnectionRecord record)
    {
        Interlocked.Decrement(ref _active);
        _slots.Release();
        ProxyMetrics.Closed(record);
        _log(record);
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
        if (_http is { } http) await http.DisposeAsync().ConfigureAwait(false);
        _abort.Dispose();
        _slots.Dispose();
    }
}
