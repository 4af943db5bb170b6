using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Proxy.Hosting;

/// <summary>
/// One site of a listener as configured: the files and settings <see cref="ProxyHost"/> builds its
/// <see cref="ProxySite"/> from, on start and on every reload (so changed certificate files are read again).
/// </summary>
public sealed record ProxySiteConfiguration
{
    /// <summary>The most 0-RTT data a site may accept per connection (the proxy holds it until the handshake completes).</summary>
    public const int MaxEarlyData = 1 << 20;

    /// <summary>The site's name: in logs, errors, and the key of its resumption state (so it must stay the same across reloads).</summary>
    public required string Name { get; init; }

    /// <summary>SNI names the site answers (exact or "*.parent"); empty: the listener's default site.</summary>
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    /// <summary>The certificate chain's PEM file, end-entity first.</summary>
    public string? Certificate { get; init; }

    /// <summary>The private key's PEM file.</summary>
    public string? Key { get; init; }

    /// <summary>The site's certificate from an ACME CA, in place of <see cref="Certificate"/> and <see cref="Key"/>.</summary>
    public Acme.ProxyAcmeSettings? Acme { get; init; }

    /// <summary>Where the plaintext or the requests go.</summary>
    public required HostPort Backend { get; init; }

    /// <summary>Tcp (relay bytes) or Http (reverse-proxy requests).</summary>
    public ProxyMode Mode { get; init; } = ProxyMode.Tcp;

    /// <summary>Tcp mode: ALPN protocols to accept, in preference order.</summary>
    public IReadOnlyList<string> Alpn { get; init; } = [];

    /// <summary>Whether to ask clients for a certificate, and whether to insist.</summary>
    public ClientCertificateMode ClientAuth { get; init; } = ClientCertificateMode.None;

    /// <summary>The roots client certificates must chain to (a PEM file or a folder); needed unless <see cref="ClientAuth"/> is None.</summary>
    public string? ClientCa { get; init; }

    /// <summary>The lowest version offered.</summary>
    public ProtocolVersion MinVersion { get; init; } = ProtocolVersion.Tls12;

    /// <summary>The highest version offered.</summary>
    public ProtocolVersion MaxVersion { get; init; } = ProtocolVersion.Tls13;

    /// <summary>The cipher suites, in preference order; empty: Tessera's defaults.</summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } = [];

    /// <summary>Tcp mode: send a PROXY protocol v2 header to the backend first.</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>How long a client has to complete the handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Staple OCSP responses for the certificate when it names a responder.</summary>
    public bool Ocsp { get; init; } = true;

    /// <summary>TLS 1.3 0-RTT data accepted per connection, in bytes (0 to <see cref="MaxEarlyData"/>); 0: none.</summary>
    public int EarlyData { get; init; }
}
