using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>Settings shared by clients and servers. Immutable; one instance serves many connections.</summary>
public abstract record TlsOptions
{
    /// <summary>
    /// Suites in order of preference, TLS 1.3 and TLS 1.2 in one list (each version uses its own). A version
    /// with no suite here is not offered.
    /// </summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } = CipherSuiteInfo.Defaults;

    /// <summary>Lowest protocol version allowed (TLS 1.2 or 1.3).</summary>
    public ProtocolVersion MinVersion { get; init; } = ProtocolVersion.Tls12;

    /// <summary>Highest protocol version allowed (TLS 1.2 or 1.3). TLS 1.3 is preferred whenever both sides have it.</summary>
    public ProtocolVersion MaxVersion { get; init; } = ProtocolVersion.Tls13;

    /// <summary>
    /// TLS 1.2 only: refuse a peer without the extended master secret (RFC 7627) with handshake_failure. Off by
    /// default, as in OpenSSL, Go and rustls: a TLS 1.2 full handshake without it is accepted, because scanners and
    /// older peers (Go before 1.21, many embedded stacks) omit it, but such a session is never resumed, never given
    /// a ticket or session ID, and refuses exporters (RFC 7627 §5.3–5.4) — the uses the triple-handshake attack
    /// needs. Set it where every peer is known to be modern.
    /// </summary>
    public bool RequireExtendedMasterSecret { get; init; }

    /// <summary>
    /// Key exchange groups in order of preference. The default puts the post-quantum hybrid X25519MLKEM768 first
    /// (TLS 1.3 only; it is left out of a TLS 1.2 handshake), then X25519, P-256 and P-384, as Chromium, Firefox,
    /// Go and rustls do.
    /// </summary>
    public IReadOnlyList<NamedGroup> Groups { get; init; } =
        [NamedGroup.X25519MLKEM768, NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];

    /// <summary>
    /// Signature schemes accepted in the peer's CertificateVerify (and TLS 1.2 ServerKeyExchange). PKCS#1 v1.5
    /// schemes in the list are used only in TLS 1.2, as RFC 8446 §4.2.3 requires.
    /// </summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes { get; init; } = Tessera.Crypto.SignatureSchemes.Default;

    /// <summary>ALPN protocol names in order of preference; empty for none.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>A handshake that has not completed by then fails, so a silent peer cannot hold a connection.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for certificate validity, timeouts and trace timings.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Random source for randoms and ephemeral keys; null means the OS generator.</summary>
    public RandomNumberGenerator? Random { get; init; }

    /// <summary>
    /// The primitives connections with these options use (key exchange, record AEADs, HKDF, HMAC); null (the
    /// default) means <see cref="Crypto.CryptoProvider.Default"/> as it is when a connection is created.
    /// </summary>
    public CryptoProvider? CryptoProvider { get; init; }

    /// <summary>The provider in effect: <see cref="CryptoProvider"/>, or the process default.</summary>
    internal CryptoProvider Crypto => CryptoProvider ?? Tessera.Crypto.CryptoProvider.Default;

    /// <summary>Receives secrets in NSS key log format. Null (the default) logs nothing.</summary>
    public IKeyLogWriter? KeyLog { get; init; }

    /// <summary>
    /// Keep every handshake event in <see cref="TlsConnection.HandshakeEvents"/> (what <c>tessera connect</c> prints).
    /// Off by default: the trace costs ≈ 6 KB per handshake and keeps each message's bytes alive for as long as the
    /// connection lives, which a server holding many idle connections should not pay for unasked.
    /// </summary>
    public bool RecordHandshakeEvents { get; init; }

    /// <summary>Called for each handshake event as it happens (the list is kept only with <see cref="RecordHandshakeEvents"/>).</summary>
    public Action<HandshakeEvent>? OnHandshakeEvent { get; init; }

    /// <summary>Largest handshake message accepted; larger declared lengths are refused before buffering.</summary>
    public int MaxHandshakeMessageLength { get; init; } = 256 * 1024;

    /// <summary>
    /// TLS 1.3 certificate compression (RFC 8879), in order of preference: what this side offers to decompress (a
    /// client in its ClientHello, a server in its CertificateRequest), and what it compresses its own certificate with
    /// when the peer offers it. Default Brotli, then zlib; empty turns compression off both ways. A server's compressed
    /// certificate is made once per credential and algorithm, not per handshake. Zstandard is not supported.
    /// </summary>
    public IReadOnlyList<CertificateCompressionAlgorithm> CertificateCompression { get; init; } = Handshake.CertificateCompressor.Supported;

    /// <summary>When set, advertise record_size_limit (RFC 8449) with this value (64..16385).</summary>
    public ushort? RecordSizeLimit { get; init; }

    /// <summary>RFC 8448 vector-test seams; never set outside tests.</summary>
    internal Handshake.HandshakeTestHooks? TestHooks { get; init; }

    /// <summary>TLS 1.3 is on: inside the version range and at least one TLS 1.3 suite.</summary>
    internal bool Tls13Enabled => MaxVersion >= ProtocolVersion.Tls13 && HasSuiteFor(ProtocolVersion.Tls13);

    /// <summary>TLS 1.2 is on: inside the version range and at least one TLS 1.2 suite.</summary>
    internal bool Tls12Enabled => MinVersion <= ProtocolVersion.Tls12 && HasSuiteFor(ProtocolVersion.Tls12);

    internal ProtocolVersion HighestEnabled => Tls13Enabled ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12;

    private bool HasSuiteFor(ProtocolVersion version)
    {
        foreach (var s in CipherSuites.Each())
            if (CipherSuiteInfo.Find((ushort)s, version) is not null) return true;
        return false;
    }

    private bool HasTls12Group()
    {
        foreach (var g in Groups.Each())
            if (KeyExchange.IsUsableInTls12(g)) return true;
        return false;
    }

    /// <summary>The groups to list in supported_groups: all of them, or without the TLS 1.3-only ones when TLS 1.3 is off.</summary>
    internal IReadOnlyList<NamedGroup> OfferedGroups()
    {
        if (Tls13Enabled) return Groups;
        var groups = new List<NamedGroup>(Groups.Count);
        foreach (var g in Groups.Each())
            if (KeyExchange.IsUsableInTls12(g)) groups.Add(g);
        return groups;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> (or <see cref="InvalidOperationException"/> for a missing trust store) with
    /// the reason when these options cannot run a handshake; a connection makes the same check when it starts. A
    /// server that swaps options in at run time (a reload) calls it first, so bad settings never reach a handshake.
    /// </summary>
    public virtual void Validate()
    {
        if (CipherSuites.Count == 0) throw new ArgumentException("at least one cipher suite is required");
        foreach (var s in CipherSuites.Each())
            if (CipherSuiteInfo.Find((ushort)s) is null) throw new ArgumentException($"cipher suite {TlsNames.Of(s)} is not supported");
        if (MinVersion is not (ProtocolVersion.Tls12 or ProtocolVersion.Tls13) || MaxVersion is not (ProtocolVersion.Tls12 or ProtocolVersion.Tls13))
            throw new ArgumentException("Tessera speaks TLS 1.2 and TLS 1.3 only; MinVersion and MaxVersion must be one of those");
        if (MinVersion > MaxVersion) throw new ArgumentException("MinVersion is above MaxVersion");
        if (!Tls13Enabled && !Tls12Enabled)
            throw new ArgumentException("no protocol version is usable: the cipher suites and MinVersion/MaxVersion leave nothing enabled");
        if (Groups.Count == 0) throw new ArgumentException("at least one key exchange group is required");
        foreach (var a in CertificateCompression.Each())
            if (!Handshake.CertificateCompressor.IsSupported(a))
                throw new ArgumentException($"certificate compression with {Handshake.CertificateCompressor.Name(a)} is not supported (Brotli and zlib are)");
        foreach (var g in Groups.Each())
            if (!Crypto.SupportsGroup(g)) throw new ArgumentException($"group {TlsNames.Of(g)} is not supported by the {Crypto.Name} crypto provider");
        if (Tls12Enabled && !Tls13Enabled && !HasTls12Group())
            throw new ArgumentException("TLS 1.2 alone is enabled but no group in Groups works in TLS 1.2 (X25519MLKEM768 is TLS 1.3 only)");
        foreach (var p in ApplicationProtocols)
            if (p.Length is 0 or > 255) throw new ArgumentException("ALPN protocol names are 1..255 bytes");
        if (RecordSizeLimit is < 64 or > 16385) throw new ArgumentException("record_size_limit must be 64..16385");
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentException("HandshakeTimeout must be positive");
    }
}
