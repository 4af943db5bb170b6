using System.Net;
using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>What a listener does with the plaintext once TLS is terminated.</summary>
public enum ProxyMode
{
    /// <summary>Relay the bytes to the backend as they are (optionally after a PROXY protocol v2 header).</summary>
    Tcp,
    /// <summary>Serve HTTP/2 and HTTP/1.1 (Kestrel) and forward each request to the backend over HTTP/1.1 (YARP), with X-Forwarded-* headers.</summary>
    Http,
}

/// <summary>One proxy listener: where it listens, the TLS it speaks, what it does with the plaintext and where it goes.</summary>
public sealed record ProxyListenerOptions
{
    /// <summary>The address and port to accept TLS on (port 0 picks a free one; the listener's <c>LocalEndPoint</c> says which).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The backend host (a name or an address) that receives the decrypted bytes or requests.</summary>
    public required string BackendHost { get; init; }

    /// <summary>The backend's port.</summary>
    public required int BackendPort { get; init; }

    /// <summary>
    /// The TLS server settings: certificates (chosen by SNI), versions, suites, client certificates, handshake timeout.
    /// In tcp mode also ALPN; in http mode ALPN is h2 and http/1.1, decided by the listener.
    /// </summary>
    public required TlsServerOptions Tls { get; init; }

    /// <summary>Tcp (relay bytes) or Http (reverse-proxy requests). Default tcp.</summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Tcp;

    /// <summary>Tcp mode: send a PROXY protocol v2 header to the backend first, so it learns the client's address (and SNI, ALPN, TLS version).</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>
    /// Connections served at once (default 10,000). In tcp mode further clients wait in the listen backlog; in http
    /// mode Kestrel closes them at once.
    /// </summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>
    /// Handshakes in progress at once from one client address (default 64); a connection beyond it is closed before its
    /// handshake starts. Unfinished handshakes are what a slowloris holds open; this keeps one address from holding many.
    /// </summary>
    public int MaxHandshakesPerClient { get; init; } = 64;

    /// <summary>
    /// A connection with no bytes in either direction for this long is closed (default 5 minutes). In http mode this
    /// is Kestrel's keep-alive timeout between requests and the longest a backend may stay silent during one.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the backend to accept a connection (default 5 s).</summary>
    public TimeSpan BackendConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
