using Tessera.Certificates;
using Tessera.Wire;

namespace Tessera.Scan.Monitor;

/// <summary>
/// One TLS endpoint the monitor probes: where it is, what a client of it offers, and what its chain is judged against.
/// <see cref="Name"/> is the <c>target</c> label of every metric, so it must be unique in a monitor and come from the
/// operator's configuration (never from what a server sends), which keeps the label set bounded.
/// </summary>
public sealed record MonitorTarget
{
    /// <summary>The target's label; defaults to the address (with the SNI when it differs from the host).</summary>
    public required string Name { get; init; }
    /// <summary>Where to connect.</summary>
    public required HostPort Address { get; init; }
    /// <summary>The SNI sent and the name the certificate must match; null: the address' host.</summary>
    public string? ServerName { get; init; }
    /// <summary>The roots the chain must end at; null: the system store.</summary>
    public TrustStore? Trust { get; init; }
    /// <summary>The rules the chain is held to (WebPKI for public servers, RFC 5280 for private PKIs).</summary>
    public VerificationProfile Profile { get; init; } = VerificationProfile.WebPki;
    /// <summary>ALPN protocols offered, in order (none by default).</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];
    /// <summary>The lowest version offered.</summary>
    public ProtocolVersion MinVersion { get; init; } = ProtocolVersion.Tls12;
    /// <summary>The highest version offered.</summary>
    public ProtocolVersion MaxVersion { get; init; } = ProtocolVersion.Tls13;
    /// <summary>The certificate presented when the server asks for one (mutual TLS); null: none.</summary>
    public TlsCredential? ClientCertificate { get; init; }
    /// <summary>How often to probe; null: the monitor's interval.</summary>
    public TimeSpan? Interval { get; init; }
    /// <summary>
    /// The ACME directory of the CA that issues the target's certificate: the monitor then asks its renewalInfo (RFC
    /// 9773) for the served certificate's suggested renewal window (its HTTPS is trusted through <see cref="Trust"/>,
    /// else the system store). Null: no ARI.
    /// </summary>
    public Uri? AcmeDirectory { get; init; }
    /// <summary>Also run a scan (<see cref="Scanner"/>) for its grade, at the monitor's scan interval (at most daily by default).</summary>
    public bool Scan { get; init; }

    /// <summary>The name the certificate is checked against and the SNI sent.</summary>
    public string Host => ServerName ?? Address.Host;

    /// <summary>The label a target gets when the configuration names none: <c>host:port</c>, and the SNI when it differs.</summary>
    public static string DefaultName(HostPort address, string? serverName) =>
        serverName is null || string.Equals(serverName, address.Host, StringComparison.OrdinalIgnoreCase) ? address.ToString() : $"{address}/{serverName}";
}
