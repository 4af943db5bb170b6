using System.Net;
using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>One tcp-mode listener: where it listens, the TLS it speaks, and where the plaintext goes.</summary>
public sealed record TcpProxyOptions
{
    /// <summary>The address and port to accept TLS on (port 0 picks a free one; <see cref="TcpProxy.LocalEndPoint"/> says which).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The backend host (a name or an address) that receives the decrypted bytes.</summary>
    public required string BackendHost { get; init; }

    /// <summary>The backend's port.</summary>
    public required int BackendPort { get; init; }

    /// <summary>The TLS server settings: certificates (chosen by SNI), versions, suites, ALPN, client certificates, handshake timeout.</summary>
    public required TlsServerOptions Tls { get; init; }

    /// <summary>Send a PROXY protocol v2 header to the backend first, so it learns the client's address (and SNI, ALPN, TLS version).</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>Connections served at once; further clients wait in the listen backlog (default 10,000).</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>
    /// Handshakes in progress at once from one client address (default 64); a connection beyond it is closed before its
    /// handshake starts. Unfinished handshakes are what a slowloris holds open; this keeps one address from holding many.
    /// </summary>
    public int MaxHandshakesPerClient { get; init; } = 64;

    /// <summary>A connection with no bytes in either direction for this long is closed (default 5 minutes).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the backend to accept a connection (default 5 s).</summary>
    public TimeSpan BackendConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
