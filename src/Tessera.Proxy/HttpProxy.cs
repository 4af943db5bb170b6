using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore;
using Tessera.Connection;
using Tessera.Wire;
using Yarp.ReverseProxy.Forwarder;

namespace Tessera.Proxy;

/// <summary>
/// The http mode: Kestrel serves HTTP/2 and HTTP/1.1 over Tessera (the Tessera.AspNetCore adapter) and YARP's forwarder
/// sends every request to the backend over HTTP/1.1, with X-Forwarded-For/-Proto/-Host. A backend that cannot be reached
/// gets the client a 502 (504 when it does not answer in time). Every connection is reported when it ends, every
/// request when its response ends.
/// </summary>
public sealed class HttpProxy : IProxyListener
{
    private readonly ProxyListenerOptions _options;
    private readonly Action<ProxyConnectionRecord> _connections;
    private readonly Action<ProxyRequestRecord> _requests;
    private TesseraHttpsOptions? _https;
    private volatile TlsServerOptions _tls;
    private readonly ClientHandshakeLimiter _limiter;
    private readonly HttpMessageInvoker _backend;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly string _destination;
    private WebApplication? _app;
    private IHttpForwarder? _forwarder;
    private IPEndPoint? _bound;
    private int _active;

    /// <param name="options">The listener, TLS settings and backend (mode http).</param>
    /// <param name="connections">Told about every connection when it ends (called concurrently).</param>
    /// <param name="requests">Told about every request when its response ends (called concurrently).</param>
    public HttpProxy(ProxyListenerOptions options, Action<ProxyConnectionRecord>? connections = null, Action<ProxyRequestRecord>? requests = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConnections must be at least 1");
        if (options.MaxHandshakesPerClient < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxHandshakesPerClient must be at least 1");
        if (options.Mode != ProxyMode.Http) throw new ArgumentException("HttpProxy serves the http mode; use ProxyListener.Create", nameof(options));
        if (options.ProxyProtocol) throw new ArgumentException("the PROXY protocol header is for the tcp mode; the http mode sends X-Forwarded-For", nameof(options));
        ProxyTls.Validate(options.Tls);
        _options = options;
        _connections = connections ?? (_ => { });
        _requests = requests ?? (_ => { });
        _limiter = new ClientHandshakeLimiter(options.MaxHandshakesPerClient);
        _tls = options.Tls;
        var host = options.BackendHost.Contains(':', StringComparison.Ordinal) ? $"[{options.BackendHost}]" : options.BackendHost;
        _destination = $"http://{host}:{options.BackendPort}/";
        // As YARP recommends for a forwarder: no proxy, no redirects, no cookies, no decompression; the body passes as it is.
        _backend = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.BackendConnectTimeout,
            ActivityHeadersPropagator = null,
            EnableMultipleHttp2Connections = true,
        });
        // The backend is plain http: HTTP/1.1 (h2c would need the backend to speak it without negotiation).
        _requestConfig = new ForwarderRequestConfig { ActivityTimeout = options.IdleTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        ProxyMetrics.Serve(this, options.Tls);
    }

    /// <inheritdoc/>
    public ProxyListenerOptions Options => _options;

    /// <inheritdoc/>
    public TlsServerOptions Tls => _tls;

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint => _bound ?? throw new InvalidOperationException("not started");

    /// <inheritdoc/>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <inheritdoc/>
    public void Reload(TlsServerOptions tls)
    {
        ProxyTls.Validate(tls);
        _tls = tls;
        if (_https is { } https) https.ServerOptions = tls;   // the adapter builds new handshakes from the new instance
        ProxyMetrics.Serve(this, tls);
    }

    /// <inheritdoc/>
    public void Start()
    {
        if (_app is not null) throw new InvalidOperationException("already started");
        // The empty builder: no appsettings, environment variables or console logging; the proxy is configured by its caller.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddHttpForwarder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = _options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = _options.MaxConnections;
            kestrel.Limits.KeepAliveTimeout = _options.IdleTimeout;
            kestrel.Listen(_options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(TrackConnection);     // outermost: counts, caps handshakes per client, reports the connection
                listen.UseTessera(https =>
                {
                    https.ServerOptions = _tls;
                    https.HandshakeFailed = OnHandshakeFailed;
                    _https = https;
                });
                listen.Use(HandshakeDone);       // reached only once the handshake has completed
            });
        });
        var app = builder.Build();
        app.Run(ForwardAsync);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _bound = new IPEndPoint(_options.Listen.Address, new Uri(address).Port);
        _forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        _app = app;
    }

    /// <inheritdoc/>
    public async Task RunAsync(TimeSpan drain, CancellationToken stop)
    {
        var app = _app ?? throw new InvalidOperationException("call Start first");
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: Kestrel stops accepting, lets requests in flight finish, and cuts the rest at the deadline.
        }
        using var deadline = new CancellationTokenSource(drain);
        await app.StopAsync(deadline.Token).ConfigureAwait(false);
    }

    private ConnectionDelegate TrackConnection(ConnectionDelegate next) => async context =>
    {
        var clock = Stopwatch.StartNew();
        var peer = context.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var slot = new HandshakeSlot(_limiter, ClientHandshakeLimiter.Key(peer.Address));
        Interlocked.Increment(ref _active);
        ProxyMetrics.Opened();
        var outcome = ProxyOutcome.Completed;
        string? detail = null;
        try
        {
            if (!slot.TryEnter())
            {
                (outcome, detail) = (ProxyOutcome.Refused, $"{slot.Client} already has {_limiter.MaxPerClient} handshakes in progress");
                context.Abort();
                return;
            }
            context.Features.Set(slot);
            await next(context).ConfigureAwait(false);
            if (!slot.Completed) (outcome, detail) = (ProxyOutcome.HandshakeFailed, slot.Failure ?? "the connection closed during the handshake");
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException)
        {
            (outcome, detail) = (ProxyOutcome.TransportError, e.Message);
        }
        finally
        {
            slot.Leave();
            Interlocked.Decrement(ref _active);
            var tls = context.Features.Get<ITesseraTlsFeature>()?.Connection;
            var record = new ProxyConnectionRecord(peer, outcome, detail, tls?.ServerName,
                tls?.NegotiatedVersion is { } v ? GroupNames.OfVersion((ushort)v) : null,
                tls?.CipherSuite is { } s ? GroupNames.Of(s) : null, tls?.ApplicationProtocol, tls?.WasResumed ?? false,
                0, 0, slot.Completed ? tls?.HandshakeDuration : null, clock.Elapsed);
            ProxyMetrics.Closed(record);
            _connections(record);
        }
    };

    private static ConnectionDelegate HandshakeDone(ConnectionDelegate next) => context =>
    {
        context.Features.Get<HandshakeSlot>()?.Complete();
        return next(context);
    };

    private void OnHandshakeFailed(ConnectionContext context, TlsException e)
    {
        if (context.Features.Get<HandshakeSlot>() is { } slot) slot.Failure = e.Message;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var error = await _forwarder!.SendAsync(context, _destination, _backend, _requestConfig, ForwardedHeadersTransformer.Instance).ConfigureAwait(false);
        string? why = null;
        if (error != ForwarderError.None)
        {
            var exception = context.GetForwarderErrorFeature()?.Exception;
            why = exception is null ? error.ToString() : $"{error}: {Innermost(exception).Message}";
        }
        var request = context.Request;
        var record = new ProxyRequestRecord(
            new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort),
            request.Protocol, request.Method, request.Host.Value ?? "", request.Path.Value + request.QueryString.Value,
            context.Response.StatusCode, why, clock.Elapsed);
        ProxyMetrics.Request(record);
        _requests(record);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    /// <summary>Stops at once (use <see cref="RunAsync"/>'s token to drain instead).</summary>
    public async ValueTask DisposeAsync()
    {
        ProxyMetrics.Forget(this);
        if (_app is { } app)
        {
            using var now = new CancellationTokenSource(TimeSpan.Zero);
            await app.StopAsync(now.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        _backend.Dispose();
    }

    /// <summary>One connection's place in the per-client handshake count: taken before the handshake, given back when it completes or fails.</summary>
    private sealed class HandshakeSlot(ClientHandshakeLimiter limiter, IPAddress client)
    {
        private int _held;

        public IPAddress Client => client;
        public bool Completed { get; private set; }
        public string? Failure { get; set; }

        public bool TryEnter()
        {
            if (!limiter.TryEnter(client)) return false;
            _held = 1;
            return true;
        }

        public void Complete()
        {
            Completed = true;
            Leave();
        }

        public void Leave()
        {
            if (Interlocked.Exchange(ref _held, 0) == 1) limiter.Leave(client);
        }
    }
}
