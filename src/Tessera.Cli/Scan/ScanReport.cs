using Tessera.Wire;

namespace Tessera.Cli.Scan;

/// <summary>Everything a scan found, in the shape the plain view, the JSON report and the grade read.</summary>
internal sealed class ScanReport
{
    public required string Target { get; init; }
    public required string Address { get; init; }
    public string? ServerName { get; init; }
    public required DateTimeOffset Started { get; init; }
    public TimeSpan Elapsed { get; set; }
    public int Connections { get; set; }
    public List<VersionSupport> Versions { get; } = [];
    public List<VersionSuites> Suites { get; } = [];
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

    public bool Supports(ProtocolVersion version)
    {
        foreach (var v in Versions)
            if (v.Version == version) return v.Supported;
        return false;
    }

    public VersionSuites? SuitesFor(ProtocolVersion version)
    {
        foreach (var s in Suites)
            if (s.Version == version) return s;
        return null;
    }
}

/// <summary>Whether one protocol version is accepted, and what the refusal looked like if not.</summary>
internal sealed record VersionSupport(ProtocolVersion Version, bool Supported, string Answer)
{
    public string Name => Version == ScanVersions.Ssl20 ? "SSL 2.0" : GroupNames.OfVersion((ushort)Version);
}

/// <summary>The suites one version accepts; in the server's order when it imposes one, else in the scanner's.</summary>
internal sealed class VersionSuites(ProtocolVersion version)
{
    public ProtocolVersion Version { get; } = version;
    public List<AcceptedSuite> Accepted { get; } = [];
    /// <summary>True: the server chooses by its own order; false: by the client's; null: fewer than two suites to tell.</summary>
    public bool? ServerOrder { get; set; }
    /// <summary>Server order, except that ChaCha20 wins when the client lists it first (clients without AES hardware).</summary>
    public bool? ChaCha20WhenClientPrefers { get; set; }
}

/// <summary>A suite the server accepted, with what its key exchange looked like (group, or DH modulus size).</summary>
internal sealed record AcceptedSuite(SuiteInfo Info, string? KeyExchange, int? DhBits = null);

/// <summary>The key exchange groups one version accepts.</summary>
internal sealed record VersionGroups(ProtocolVersion Version, List<GroupInfo> Accepted);

/// <summary>Version numbers a scan names that Tessera's wire enum does not.</summary>
internal static class ScanVersions
{
    /// <summary>SSL 2.0 has no place in <see cref="ProtocolVersion"/>; its hello says 0x0002.</summary>
    public const ProtocolVersion Ssl20 = (ProtocolVersion)0x0002;

    public static readonly ProtocolVersion[] All =
        [Ssl20, ProtocolVersion.Ssl30, ProtocolVersion.Tls10, ProtocolVersion.Tls11, ProtocolVersion.Tls12, ProtocolVersion.Tls13];
}
