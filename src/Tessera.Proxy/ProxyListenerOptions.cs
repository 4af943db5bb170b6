using System.Net;
using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>What a site does with the plaintext once TLS is terminated.</summary>
public enum ProxyMode
{
    /// <summary>Relay the bytes to the backend as they are (optionally after a PROXY protocol v2 header).</summary>
    Tcp,
    /// <summary>Serve HTTP/2 and HTTP/1.1 (Kestrel) and forward each request to the backend over HTTP/1.1 (YARP), with X-Forwarded-* headers.</summary>
    Http,
}

/// <summary>One proxy listener: where it listens, its sites (chosen by SNI), and the limits that protect it.</summary>
public sealed record ProxyListenerOptions
{
    /// <summary>The address and port to accept TLS on (port 0 picks a free one; <see cref="ProxyListener.LocalEndPoint"/> says which).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>
    /// The sites, chosen per connection by the ClientHello's SNI name: an exact name first, then a wildcard, then the
    /// default site (the first with no names, else the first). With one site the ClientHello is not looked at.
    /// </summary>
    public required IReadOnlyList<ProxySite> Sites { get; init; }

    /// <summary>Connections served at once (default 10,000); further clients wait in the listen backlog.</summary>
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

    /// <summary>One site for every client: the simple case.</summary>
    /// <summary>
    /// tls-alpn-01 answers (RFC 8737) for ACME sites: a ClientHello that offers <c>acme-tls/1</c> for a name this returns
    /// a validation certificate for gets that certificate, a handshake and nothing else; null: no ACME site.
    /// </summary>
    public Func<string?, Certificates.TlsCredential?>? AcmeTlsAlpn { get; init; }

    /// <summary>A listener on <paramref name="listen"/> with one site.</summary>
    public static ProxyListenerOptions Single(IPEndPoint listen, ProxySite site) => new() { Listen = listen, Sites = [site] };

    /// <summary>The site for a connection whose ClientHello named <paramref name="serverName"/> (null: no SNI, or no ClientHello read).</summary>
    public ProxySite SiteFor(string? serverName) =>
        ServerNameLookup.Resolve(serverName, name => ByName.GetValueOrDefault(name), DefaultSite)!;

    /// <summary>Every server name of every site (names and "*.parent" wildcards), built once: options do not change after they are made.</summary>
    private Dictionary<string, ProxySite> ByName => _byName ??= BuildByName();
    private Dictionary<string, ProxySite>? _byName;

    /// <summary>The site without server names, or the first site.</summary>
    private ProxySite DefaultSite
    {
        get
        {
            foreach (var s in Sites) if (s.ServerNames.Count == 0) return s;
            return Sites[0];
        }
    }

    private Dictionary<string, ProxySite> BuildByName()
    {
        var map = new Dictionary<string, ProxySite>(StringComparer.OrdinalIgnoreCase);
        foreach (var site in Sites)
            foreach (var name in site.ServerNames)
                map.TryAdd(name, site);   // Validate refuses a name claimed twice; the first site keeps it otherwise
        return map;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a sentence naming the site and the problem.</summary>
    public void Validate()
    {
        if (Sites is null || Sites.Count == 0) throw new ArgumentException("a listener needs at least one site");
        if (MaxConnections < 1) throw new ArgumentException($"MaxConnections must be at least 1, not {MaxConnections}");
        if (MaxHandshakesPerClient < 1) throw new ArgumentException($"MaxHandshakesPerClient must be at least 1, not {MaxHandshakesPerClient}");
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentException("IdleTimeout must be above zero");
        var claimed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? defaultSite = null;
        foreach (var site in Sites)
        {
            if (site.ServerNames.Count == 0)
            {
                // A second site without names could never be chosen.
                if (defaultSite is not null) throw new ArgumentException($"sites '{defaultSite}' and '{site.Name}' both have no server names; only one site can be the default");
                defaultSite = site.Name;
            }
            if (site.BackendPort is < 1 or > 65535) throw new ArgumentException($"site '{site.Name}': the backend port must be 1 to 65535, not {site.BackendPort}");
            if (string.IsNullOrWhiteSpace(site.BackendHost)) throw new ArgumentException($"site '{site.Name}': no backend host");
            if (site.Mode == ProxyMode.Http && site.ProxyProtocol) throw new ArgumentException($"site '{site.Name}': the PROXY protocol header is for the tcp mode; the http mode sends X-Forwarded-For");
            foreach (var name in site.ServerNames)
            {
                if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"site '{site.Name}': an empty server name");
                if (claimed.TryGetValue(name, out var other)) throw new ArgumentException($"site '{site.Name}': server name '{name}' is already site '{other}''s");
                claimed[name] = site.Name;
            }
            try
            {
                ProxyTls.Validate(site.Tls);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"site '{site.Name}': {e.Message}", e);
            }
        }
    }
}
