using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>Settings shared by clients and servers. Immutable; one instance serves many connections.</summary>
public abstract record TlsOptions
{
    /// <summary>TLS 1.3 suites in order of preference.</summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } =
        [CipherSuite.TlsAes128GcmSha256, CipherSuite.TlsAes256GcmSha384, CipherSuite.TlsChaCha20Poly1305Sha256];

    /// <summary>Key exchange groups in order of preference.</summary>
    public IReadOnlyList<NamedGroup> Groups { get; init; } = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];

    /// <summary>Signature schemes accepted in the peer's CertificateVerify.</summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes { get; init; } = Crypto.SignatureSchemes.DefaultTls13;

    /// <summary>ALPN protocol names in order of preference; empty for none.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>A handshake that has not completed by then fails, so a silent peer cannot hold a connection.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for certificate validity, timeouts and trace timings.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Random source for randoms and ephemeral keys; null means the OS generator.</summary>
    public RandomNumberGenerator? Random { get; init; }

    /// <summary>Receives secrets in NSS key log format. Null (the default) logs nothing.</summary>
    public IKeyLogWriter? KeyLog { get; init; }

    /// <summary>Called for each handshake event as it happens (the connection also keeps the list).</summary>
    public Action<HandshakeEvent>? OnHandshakeEvent { get; init; }

    /// <summary>Largest handshake message accepted; larger declared lengths are refused before buffering.</summary>
    public int MaxHandshakeMessageLength { get; init; } = 256 * 1024;

    /// <summary>When set, advertise record_size_limit (RFC 8449) with this value (64..16385).</summary>
    public ushort? RecordSizeLimit { get; init; }

    /// <summary>RFC 8448 vector-test seams; never set outside tests.</summary>
    internal Handshake.HandshakeTestHooks? TestHooks { get; init; }

    internal void Validate()
    {
        if (CipherSuites.Count == 0) throw new ArgumentException("at least one cipher suite is required");
        foreach (var s in CipherSuites)
            if (CipherSuiteInfo.Find((ushort)s) is null) throw new ArgumentException($"cipher suite {GroupNames.Of(s)} is not supported");
        if (Groups.Count == 0) throw new ArgumentException("at least one key exchange group is required");
        foreach (var g in Groups)
            if (!KeyExchange.IsSupported(g)) throw new ArgumentException($"group {GroupNames.Of(g)} is not supported");
        foreach (var p in ApplicationProtocols)
            if (p.Length is 0 or > 255) throw new ArgumentException("ALPN protocol names are 1..255 bytes");
        if (RecordSizeLimit is < 64 or > 16385) throw new ArgumentException("record_size_limit must be 64..16385");
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentException("HandshakeTimeout must be positive");
    }
}
