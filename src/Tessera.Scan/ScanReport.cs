using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>Everything a scan found, in the shape the plain view, the JSON report and the grade read.</summary>
public sealed class ScanReport
{
    /// <summary>What was scanned, as given (HOST:PORT).</summary>
    public required string Target { get; init; }
    /// <summary>The address the probes connected to.</summary>
    public required string Address { get; init; }
    /// <summary>The SNI name sent; null when the target is an address and none was asked for.</summary>
    public string? ServerName { get; init; }
    /// <summary>When the scan started.</summary>
    public required DateTimeOffset Started { get; init; }
    /// <summary>How long it took.</summary>
    public TimeSpan Elapsed { get; set; }
    /// <summary>How many connections the probes opened.</summary>
    public int Connections { get; set; }
    /// <summary>Each version from SSL 2.0 to TLS 1.3, offered or not.</summary>
    public List<VersionSupport> Versions { get; } = [];
    /// <summary>The suites each offered version accepts.</summary>
    public List<VersionSuites> Suites { get; } = [];
    /// <summary>The key exchange groups each offered version accepts.</summary>
    public List<VersionGroups> Groups { get; } = [];
    /// <summary>The chain sent with SNI (when the target is a name) and without; one entry when they could not be read.</summary>
    public List<ChainReport> Chains { get; } = [];
    /// <summary>RFC 7507: null when the server supports one version only (nothing to fall back from).</summary>
    public bool? FallbackScsvHonoured { get; set; }
    /// <summary>RFC 8446 §4.1.3: the TLS 1.2 ServerHello of a TLS 1.3 server ends in DOWNGRD\x01; null when not both versions.</summary>
    public bool? DowngradeSentinel { get; set; }
    /// <summary>RFC 5746: renegotiation_info in the ServerHello of the highest version up to TLS 1.2; null without such a version.</summary>
    public bool? SecureRenegotiation { get; set; }
    /// <summary>RFC 7627: extended_master_secret echoed at TLS 1.2 (or the highest older version).</summary>
    public bool? ExtendedMasterSecret { get; set; }
    /// <summary>TLS compression (DEFLATE) accepted at the best version up to TLS 1.2: CRIME. Null without such a version.</summary>
    public bool? Compression { get; set; }
    /// <summary>The heartbeat extension (RFC 6520) echoed at the best version up to TLS 1.2.</summary>
    public bool? Heartbeat { get; set; }
    /// <summary>Resumption, 0-RTT and ALPN, from whole Tessera handshakes; null when neither TLS 1.3 nor 1.2 is offered.</summary>
    public ResumptionReport? Resumption { get; set; }
    /// <summary>Signature schemes, HelloRetryRequest and record_size_limit; null when neither TLS 1.2 nor 1.3 is offered.</summary>
    public HandshakeFeatures? Handshake { get; set; }
    /// <summary>Strict-Transport-Security from a HEAD / over TLS; null when the server did not answer as HTTP.</summary>
    public HstsPolicy? Hsts { get; set; }
    /// <summary>Probes that got something other than a clean yes or no, for the notes.</summary>
    public List<string> Anomalies { get; } = [];

    /// <summary>Whether <paramref name="version"/> is offered.</summary>
    public bool Supports(ProtocolVersion version)
    {
        foreach (var v in Versions)
            if (v.Version == version) return v.Supported;
        return false;
    }

    /// <summary>The suites of <paramref name="version"/>, or null when it was not scanned.</summary>
    public VersionSuites? SuitesFor(ProtocolVersion version)
    {
        foreach (var s in Suites)
            if (s.Version == version) return s;
        return null;
    }
}

/// <summary>Whether one protocol version is accepted, and what the refusal looked like if not.</summary>
/// <param name="Version">The version.</param>
/// <param name="Supported">Whether the server accepted a hello of that version.</param>
/// <param name="Answer">What it answered instead (an alert, a close), for the notes.</param>
public sealed record VersionSupport(ProtocolVersion Version, bool Supported, string Answer)
{
    /// <summary>The version's name: "SSL 2.0" … "TLS 1.3".</summary>
    public string Name => Version == ScanVersions.Ssl20 ? "SSL 2.0" : TlsNames.OfVersion((ushort)Version);
}

/// <summary>The suites one version accepts; in the server's order when it imposes one, else in the scanner's.</summary>
public sealed class VersionSuites(ProtocolVersion version)
{
    /// <summary>The version.</summary>
    public ProtocolVersion Version { get; } = version;
    /// <summary>The suites accepted, in the server's order when it imposes one.</summary>
    public List<AcceptedSuite> Accepted { get; } = [];
    /// <summary>True: the server chooses by its own order; false: by the client's; null: fewer than two suites to tell.</summary>
    public bool? ServerOrder { get; set; }
    /// <summary>Server order, except that ChaCha20 wins when the client lists it first (clients without AES hardware).</summary>
    public bool? ChaCha20WhenClientPrefers { get; set; }
}

/// <summary>A suite the server accepted, with what its key exchange looked like (group, or DH modulus size).</summary>
/// <param name="Info">The suite.</param>
/// <param name="KeyExchange">The group it used ("x25519"), "static RSA", or null when not seen.</param>
/// <param name="DhBits">The finite-field DH modulus size, for DHE suites.</param>
public sealed record AcceptedSuite(CipherSuiteEntry Info, string? KeyExchange, int? DhBits = null);

/// <summary>The key exchange groups one version accepts.</summary>
/// <param name="Version">The version.</param>
/// <param name="Accepted">The groups it accepts.</param>
public sealed record VersionGroups(ProtocolVersion Version, List<NamedGroupEntry> Accepted)
{
    /// <summary>How the list was found when it took more than one group at a time (TLS 1.2 with an ECDSA certificate); null otherwise.</summary>
    public string? Note { get; init; }
}

/// <summary>Version numbers a scan names that Tessera's wire enum does not.</summary>
public static class ScanVersions
{
    /// <summary>SSL 2.0 has no place in <see cref="ProtocolVersion"/>; its hello says 0x0002.</summary>
    public const ProtocolVersion Ssl20 = (ProtocolVersion)0x0002;

    /// <summary>Every version a scan asks about, oldest first.</summary>
    public static readonly ProtocolVersion[] All =
        [Ssl20, ProtocolVersion.Ssl30, ProtocolVersion.Tls10, ProtocolVersion.Tls11, ProtocolVersion.Tls12, ProtocolVersion.Tls13];
}
