using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>
/// One site of a listener, chosen by the SNI name of the client's ClientHello: its TLS (certificate chain and key,
/// versions, suites, ALPN, client-certificate policy), what is done with the plaintext, and where it goes.
/// </summary>
public sealed record ProxySite
{
    /// <summary>A name for logs and errors (the configuration's key for the site).</summary>
    public string Name { get; init; } = "default";

    /// <summary>
    /// SNI names this site answers: exact ("api.example.com", case-insensitive) or one wildcard label
    /// ("*.example.com"). Empty: the listener's default site, for clients that send no name or one no site claims.
    /// </summary>
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    /// <summary>The TLS server settings for this site's handshakes (in http mode ALPN is h2 and http/1.1, decided by the listener).</summary>
    public required TlsServerOptions Tls { get; init; }

    /// <summary>Tcp (relay bytes) or Http (reverse-proxy requests). Default tcp.</summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Tcp;

    /// <summary>The backend host (a name or an address) that receives the decrypted bytes or requests.</summary>
    public required string BackendHost { get; init; }

    /// <summary>The backend's port.</summary>
    public required int BackendPort { get; init; }

    /// <summary>Tcp mode: send a PROXY protocol v2 header to the backend first, so it learns the client's address (and SNI, ALPN, TLS version).</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>The backend as HOST:PORT (IPv6 in brackets), for logs.</summary>
    public string Backend => BackendHost.Contains(':', StringComparison.Ordinal) ? $"[{BackendHost}]:{BackendPort}" : $"{BackendHost}:{BackendPort}";
}
