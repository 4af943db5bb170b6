using Microsoft.AspNetCore.Connections;
using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.AspNetCore;

/// <summary>
/// Configures one Kestrel endpoint served over Tessera. Certificates are chosen per handshake, in this order:
/// <see cref="ServerCertificateSelector"/>, then <see cref="CertificatesByName"/> (exact name, then "*.parent"),
/// then the file sources and <see cref="TlsServerOptions.Certificates"/> whose names cover the SNI name; with no
/// match (or no SNI) the first file source, else the first of <see cref="TlsServerOptions.Certificates"/>.
/// ALPN is decided by the endpoint's <c>HttpProtocols</c>, not by <see cref="TlsOptions.ApplicationProtocols"/>.
/// </summary>
public sealed class TesseraHttpsOptions
{
    private readonly List<CertificateFileSource> _files = [];

    /// <summary>
    /// Everything else about the TLS server: versions, suites, groups, client certificates, tickets, 0-RTT, key log.
    /// Assigning a new instance while serving is a reload: new handshakes use it, open connections keep theirs.
    /// </summary>
    public TlsServerOptions ServerOptions { get; set; } = new();

    /// <summary>SNI name → certificate ("*.example.com" matches one label). Case-insensitive.</summary>
    public IDictionary<string, TlsCredential> CertificatesByName { get; } = new Dictionary<string, TlsCredential>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Chooses the certificate for a connection and SNI name (null when the client sent none); null falls through to the rest.</summary>
    public Func<ConnectionContext, string?, TlsCredential?>? ServerCertificateSelector { get; set; }

    /// <summary>
    /// Chooses all the TLS settings for one connection (versions, suites, certificates, client-certificate policy …),
    /// for example by a site the connection was routed to before the handshake; null falls back to
    /// <see cref="ServerOptions"/> and the certificate rules above. ALPN still follows the endpoint's protocols.
    /// </summary>
    public Func<ConnectionContext, TlsServerOptions?>? ServerOptionsSelector { get; set; }

    /// <summary>
    /// Told about every handshake that fails (a client's alert, a timeout, a transport cut): the connection and the
    /// exception, whose message says why. Called on the connection's task; keep it short. The failure is also logged.
    /// </summary>
    public Action<ConnectionContext, TlsException>? HandshakeFailed { get; set; }

    /// <summary>The file pairs added by <see cref="AddCertificateFiles(string, string)"/>, in order.</summary>
    public IReadOnlyList<CertificateFileSource> CertificateFiles => _files;

    /// <summary>Serves the chain and key in these PEM files, reloaded when they change.</summary>
    public CertificateFileSource AddCertificateFiles(string certificatePath, string keyPath)
    {
        var source = new CertificateFileSource(certificatePath, keyPath, ServerOptions.TimeProvider);
        _files.Add(source);
        return source;
    }

    /// <summary>Adds an already-built source (for its callbacks or poll interval).</summary>
    public void AddCertificateFiles(CertificateFileSource source) => _files.Add(source);

    internal TlsCredential? Select(ConnectionContext? connection, string? serverName)
    {
        if (connection is not null && ServerCertificateSelector?.Invoke(connection, serverName) is { } chosen) return chosen;
        // The name map, then the file sources and certificates by their DNS names — each by the core's SNI rule
        // (ServerNameLookup: the name, then its wildcard) — then the first file source or certificate.
        if (ServerNameLookup.Resolve(serverName, name => CertificatesByName.TryGetValue(name, out var c) ? c : null) is { } named) return named;
        if (ServerNameLookup.Resolve(serverName, Naming) is { } byName) return byName;
        if (_files.Count > 0) return _files[0].Current;
        return ServerOptions.Certificates.Count > 0 ? ServerOptions.Certificates[0] : null;
    }

    private TlsCredential? Naming(string name)
    {
        foreach (var f in _files)
            if (f.Current is { } c && c.HasDnsName(name)) return c;
        foreach (var c in ServerOptions.Certificates)
            if (c.HasDnsName(name)) return c;
        return null;
    }

    internal bool HasAnyCertificate => ServerOptionsSelector is not null || ServerCertificateSelector is not null || CertificatesByName.Count > 0 || _files.Count > 0 || ServerOptions.Certificates.Count > 0;
}
