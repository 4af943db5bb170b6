using System.Net;
using System.Net.Sockets;
using Tessera.Connection;

namespace Tessera.Http;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that makes <c>https://</c> requests over Tessera:
/// <c>new HttpClient(new TesseraHttpHandler(tlsOptions))</c>. Tessera's verifier (or the options' own), resumption
/// across connections, client certificates, key log and groups all come from <see cref="TlsClientOptions"/>.
/// </summary>
/// <remarks>
/// How, and what follows from it: <see cref="SocketsHttpHandler"/> runs the platform's TLS stream for <c>https://</c> URIs, and
/// has no TLS hook (dotnet/runtime#46849). So an <c>https://</c> request is handed to an inner
/// <see cref="SocketsHttpHandler"/> as <c>http://host:port</c> (with the original Host header), and that handler's
/// <c>ConnectCallback</c> returns a Tessera-authenticated stream: pooling, HTTP/1.1 and HTTP/2 framing, timeouts and
/// cancellation stay <see cref="SocketsHttpHandler"/>'s, and the platform's TLS stream is never created. HTTP/1.1 works with every
/// server. HTTP/2 (a request with <see cref="HttpRequestMessage.Version"/> 2.0) runs by prior knowledge on the
/// Tessera connection after ALPN agreed on "h2": the request's <c>:scheme</c> then says <c>http</c>, which nginx
/// accepts and Kestrel accepts only with <c>AllowAlternateSchemes</c>. With <see cref="HttpVersionPolicy.RequestVersionOrLower"/>,
/// a server that answers ALPN with http/1.1 is remembered and the request is sent again as HTTP/1.1 (nothing was sent
/// on the refused connection). Redirects are followed here (the inner handler must never see an https:// URI); a
/// <see cref="Proxy"/> is used as an HTTP CONNECT tunnel (RFC 9110 §9.3.6), so it never sees the request in clear text.
/// </remarks>
public sealed class TesseraHttpHandler : HttpMessageHandler
{
    /// <summary>Set on a request whose head went out as TLS early data that the server accepted.</summary>
    internal static readonly HttpRequestOptionsKey<bool> SentInEarlyData = new("Tessera.SentInEarlyData");

    /// <summary>Set on a request being retried after 425: if it needs a new connection, that one must not use 0-RTT.</summary>
    private static readonly HttpRequestOptionsKey<bool> NotInEarlyData = new("Tessera.NotInEarlyData");

    private readonly HttpMessageInvoker _tls;
    private readonly SocketsHttpHandler _sockets;
    private readonly SocketsHttpHandler _plainSockets;
    private readonly HttpMessageInvoker _plain;
    private readonly TlsClientOptions _http1;
    private readonly TlsClientOptions _http2;
    private readonly HashSet<string> _http11Only = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A handler whose https:// connections use Tessera.</summary>
    /// <param name="options">The TLS settings (verifier, trust, versions, key log …); handlers sharing one object resume each other's sessions. Default: a new <see cref="TlsClientOptions"/>.</param>
    public TesseraHttpHandler(TlsClientOptions? options = null)
    {
        Options = options ?? new TlsClientOptions();
        // Two ALPN offers from one options object: a record copy shares the session store, so both resume.
        _http1 = Options with { ApplicationProtocols = ["http/1.1"] };
        _http2 = Options with { ApplicationProtocols = ["h2", "http/1.1"] };
        _tls = new HttpMessageInvoker(_sockets = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            UseProxy = false,              // a proxy would get the rewritten http:// request in clear text
            AllowAutoRedirect = false,     // followed in SendAsync, so the inner handler never sees https://
            UseCookies = false,            // the inner handler sees http:// URIs: it would scope Secure cookies wrongly
        });
        _plain = new HttpMessageInvoker(_plainSockets = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false });
    }

    /// <summary>How long a pooled connection may be reused (<see cref="SocketsHttpHandler.PooledConnectionLifetime"/>); zero: one request per connection.</summary>
    public TimeSpan PooledConnectionLifetime { get => _sockets.PooledConnectionLifetime; set => _sockets.PooledConnectionLifetime = value; }

    /// <summary><see cref="SocketsHttpHandler.PooledConnectionIdleTimeout"/>.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get => _sockets.PooledConnectionIdleTimeout; set => _sockets.PooledConnectionIdleTimeout = value; }

    /// <summary><see cref="SocketsHttpHandler.MaxConnectionsPerServer"/>.</summary>
    public int MaxConnectionsPerServer { get => _sockets.MaxConnectionsPerServer; set => _sockets.MaxConnectionsPerServer = value; }

    /// <summary>
    /// A proxy for https:// requests, used through CONNECT (the TLS session runs end to end inside the tunnel). Null: direct.
    /// http:// requests use it as a plain HTTP proxy, as <see cref="SocketsHttpHandler"/> does.
    /// </summary>
    public IWebProxy? Proxy
    {
        get => _proxy;
        set
        {
            _proxy = value;
            _plainSockets.Proxy = value;
            _plainSockets.UseProxy = value is not null;
        }
    }

    private IWebProxy? _proxy;

    /// <summary>The TLS settings every connection uses.</summary>
    public TlsClientOptions Options { get; }

    /// <summary>Follow 3xx answers (default true), at most <see cref="MaxRedirects"/> times; https → http is not followed.</summary>
    public bool AllowAutoRedirect { get; init; } = true;

    /// <summary>The most redirects followed for one request (default 10).</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>
    /// Send the first request of a new HTTP/1.1 connection as TLS 1.3 early data (0-RTT) when a ticket allows it and the
    /// method is in <see cref="EarlyDataMethods"/>. Off by default: early data can be replayed by an attacker (RFC 8470).
    /// A <c>425 Too Early</c> answer to such a request is retried once after the handshake, transparently.
    /// </summary>
    public bool EarlyData { get; init; }

    /// <summary>Methods that may go in early data (default GET, HEAD, OPTIONS: the replay-safe ones).</summary>
    public IReadOnlyList<HttpMethod> EarlyDataMethods { get; init; } = [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options];

    /// <summary>Sends the request: https:// over Tessera (following redirects, retrying a 425 once), http:// as it is.</summary>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        for (var hops = 0; AllowAutoRedirect && hops < MaxRedirects && Redirect.Next(request, response) is { } next; hops++)
        {
            response.Dispose();
            request = next;
            response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("the request has no URI");
        if (uri.Scheme == Uri.UriSchemeHttp) return await _plain.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (uri.Scheme != Uri.UriSchemeHttps) throw new NotSupportedException($"TesseraHttpHandler sends http:// and https:// requests, not {uri.Scheme}://");

        var authority = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        var version = request.Version;
        var policy = request.VersionPolicy;
        var tryHttp2 = version.Major >= 2 && !(policy == HttpVersionPolicy.RequestVersionOrLower && Known11(authority));
        request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.Port }.Uri;
        var setHost = request.Headers.Host is null;
        if (setHost) request.Headers.Host = authority;
        request.Version = tryHttp2 ? HttpVersion.Version20 : HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;   // h2 by prior knowledge on the Tessera stream
        try
        {
            var response = await _tls.SendAsync(request, cancellationToken).ConfigureAwait(false);
            // RFC 8470 §5.2: 425 means "send it again after the handshake"; by now it is complete. Once only.
            if ((int)response.StatusCode == 425 && request.Options.TryGetValue(SentInEarlyData, out var early) && early)
            {
                response.Dispose();
                request.Options.Set(SentInEarlyData, false);
                request.Options.Set(NotInEarlyData, true);   // Kestrel may close after a 425; the new connection waits for the handshake
                response = await _tls.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            return response;
        }
        catch (HttpRequestException e) when (tryHttp2 && policy == HttpVersionPolicy.RequestVersionOrLower && FindAlpnRefusal(e) is not null)
        {
            lock (_http11Only) _http11Only.Add(authority);
            request.Version = HttpVersion.Version11;
            return await _tls.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = uri;
            if (setHost) request.Headers.Host = null;
            request.Version = version;
            request.VersionPolicy = policy;
        }
    }

    private bool Known11(string authority)
    {
        lock (_http11Only) return _http11Only.Contains(authority);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var http2 = context.InitialRequestMessage.Version.Major >= 2;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        TlsStream? tls = null;
        try
        {
            var target = new Uri($"https://{endpoint.Host}:{endpoint.Port}/");
            var proxy = _proxy is { } p && !p.IsBypassed(target) ? p.GetProxy(target) : null;
            Stream transport;
            if (proxy is null)
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                transport = new NetworkStream(socket, ownsSocket: true);
            }
            else
            {
                await socket.ConnectAsync(proxy.IdnHost, proxy.Port, cancellationToken).ConfigureAwait(false);
                transport = new NetworkStream(socket, ownsSocket: true);
                await ConnectTunnel.OpenAsync(transport, endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            }
            tls = new TlsStream(transport);
            // 0-RTT: the handshake waits for the request's first write, which then rides with the ClientHello.
            var initial = context.InitialRequestMessage;
            if (EarlyData && !http2 && EarlyDataMethods.Contains(initial.Method) && !(initial.Options.TryGetValue(NotInEarlyData, out var no) && no))
                return new EarlyDataStream(tls, _http1, endpoint.Host, context.InitialRequestMessage);
            await tls.AuthenticateAsClientAsync(http2 ? _http2 : _http1, endpoint.Host, cancellationToken).ConfigureAwait(false);
            var alpn = tls.Connection.ApplicationProtocol;
            if (http2 && alpn != "h2")
                throw new AlpnRefusedException($"{endpoint.Host}:{endpoint.Port} answered ALPN with {alpn ?? "nothing"}, not h2, so HTTP/2 cannot be used on this connection");
            return tls;
        }
        catch
        {
            if (tls is not null) await tls.DisposeAsync().ConfigureAwait(false);
            else socket.Dispose();
            throw;
        }
    }

    private static AlpnRefusedException? FindAlpnRefusal(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AlpnRefusedException a) return a;
        return null;
    }

/// <summary>Disposes the pooled connections.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tls.Dispose();
            _plain.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>The server chose HTTP/1.1 (or no ALPN) where HTTP/2 was required.</summary>
    private sealed class AlpnRefusedException(string message) : IOException(message);
}
