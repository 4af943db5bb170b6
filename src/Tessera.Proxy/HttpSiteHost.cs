using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore;
using Tessera.Connection;
using Tessera.Proxy.Handoff;
using Yarp.ReverseProxy.Forwarder;

namespace Tessera.Proxy;

/// <summary>
/// The http mode of a listener: Kestrel, fed the connections the listener accepted for http sites (through a
/// <see cref="HandoffTransport"/>), serves HTTP/2 and HTTP/1.1 over Tessera (the Tessera.AspNetCore adapter, with the
/// TLS settings of the site each connection was given), and YARP's forwarder sends every request to that site's
/// backend over HTTP/1.1 with X-Forwarded-For/-Proto/-Host. A backend that cannot be reached gets the client a 502
/// (504 when it does not answer in time).
/// </summary>
internal sealed class HttpSiteHost : IAsyncDisposable
{
    private static int s_next;
    private readonly ProxyListener _listener;
    private readonly Action<ProxyRequestRecord> _requests;
    private readonly HandoffTransport _transport = new(new HandoffEndPoint("http-" + Interlocked.Increment(ref s_next)));
    private readonly HttpMessageInvoker _backend;
    private WebApplication? _app;
    private IHttpForwarder? _forwarder;
    private volatile ForwarderRequestConfig? _requestConfig;

    public HttpSiteHost(ProxyListener listener, Action<ProxyRequestRecord> requests)
    {
        _listener = listener;
        _requests = requests;
        // As YARP recommends for a forwarder: no proxy, no redirects, no cookies, no decompression; the body passes as it is.
        _backend = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = listener.Options.BackendConnectTimeout,
            ActivityHeadersPropagator = null,
        });
    }

    public void Start()
    {
        // The empty builder: no appsettings, environment variables or console logging; the proxy is configured by its caller.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<IConnectionListenerFactory>(_transport);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.KeepAliveTimeout = _listener.Options.IdleTimeout;
            kestrel.Listen(_transport.EndPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(TrackConnection);     // outermost: finishes the connection's record
                listen.UseTessera(https =>
                {
                    https.ServerOptionsSelector = context => context.Features.Get<ProxyConnection>()?.Site.Tls;
                    https.HandshakeFailed = (context, e) => { if (context.Features.Get<ProxyConnection>() is { } c) c.HandshakeFailure = e.Message; };
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
        _forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        _app = app;
    }

    /// <summary>Gives Kestrel a connection the listener accepted; false once Kestrel is stopping.</summary>
    public bool Offer(HandoffConnection connection) => _transport.Offer(connection);

    /// <summary>Stops taking connections, lets requests in flight finish for up to <paramref name="drain"/>, then cuts the rest.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        if (_app is not { } app) return;
        using var deadline = new CancellationTokenSource(drain);
        await app.StopAsync(deadline.Token).ConfigureAwait(false);
    }

    private static ConnectionDelegate TrackConnection(ConnectionDelegate next) => async context =>
    {
        var connection = context.Features.Get<ProxyConnection>()!;
        var outcome = ProxyOutcome.Completed;
        string? detail = null;
        try
        {
            await next(context).ConfigureAwait(false);
            if (!connection.HandshakeCompleted) (outcome, detail) = (ProxyOutcome.HandshakeFailed, connection.HandshakeFailure ?? "the connection closed during the handshake");
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or TlsException)
        {
            // HTTP frames its own messages, so a client that ends a finished exchange without close_notify (curl over
            // HTTP/2 does), or resets the connection once every response has gone out (curl over HTTP/2 sometimes does),
            // has lost nothing: that is a completed connection, as nginx and Kestrel's own HTTPS treat it. A reset while a
            // request is in flight is still a transport error.
            if (!(connection.HandshakeCompleted && (IsCloseWithoutNotify(e) || connection.BetweenRequests))) (outcome, detail) = (ProxyOutcome.TransportError, e.Message);
        }
        finally
        {
            // Plaintext each way as the TLS layer counted it: HTTP framing included, like the tcp mode's relayed bytes.
            var tls = context.Features.Get<ITesseraTlsFeature>()?.Connection;
            connection.Finish(outcome, detail, tls, tls?.ApplicationBytesReceived ?? 0, tls?.ApplicationBytesSent ?? 0);
        }
    };

    private static bool IsCloseWithoutNotify(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is TlsException { IsTransportFailure: true, Alert: Wire.AlertDescription.CloseNotify }) return true;
        return false;
    }

    private static ConnectionDelegate HandshakeDone(ConnectionDelegate next) => context =>
    {
        context.Features.Get<ProxyConnection>()?.LeaveHandshake(completed: true);
        return next(context);
    };

    private async Task ForwardAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var connection = context.Features.Get<ProxyConnection>()!;
        var site = connection.Site;
        ForwarderError error;
        connection.RequestStarted();
        try
        {
            error = await _forwarder!.SendAsync(context, connection.Destination, _backend, RequestConfig(), ForwardedHeadersTransformer.Instance).ConfigureAwait(false);
        }
        finally
        {
            connection.RequestEnded();
        }
        string? why = null;
        if (error != ForwarderError.None)
        {
            var exception = context.GetForwarderErrorFeature()?.Exception;
            why = exception is null ? $"backend {site.Backend}: {error}" : $"backend {site.Backend}: {error}: {Innermost(exception).Message}";
        }
        var request = context.Request;
        var record = new ProxyRequestRecord(
            new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort),
            request.Protocol, request.Method, request.Host.Value ?? "", request.Path.Value + request.QueryString.Value,
            context.Response.StatusCode, why, Stopwatch.GetElapsedTime(started));
        ProxyMetrics.Request(record);
        _requests(record);
    }

    /// <summary>
    /// The forwarder's settings, made once and again only when a reload changes the idle timeout (not per request).
    /// The backend is plain http: HTTP/1.1 (h2c would need the backend to speak it without negotiation).
    /// </summary>
    private ForwarderRequestConfig RequestConfig()
    {
        var idle = _listener.Options.IdleTimeout;
        var current = _requestConfig;
        if (current is { ActivityTimeout: { } t } && t == idle) return current;
        current = new ForwarderRequestConfig { ActivityTimeout = idle, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        _requestConfig = current;
        return current;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            using var now = new CancellationTokenSource(TimeSpan.Zero);
            await app.StopAsync(now.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        await _transport.DisposeAsync().ConfigureAwait(false);
        _backend.Dispose();
    }
}
