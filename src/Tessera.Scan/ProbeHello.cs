using System.Net;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// A ClientHello the scanner sends, built on Tessera's wire codec but free of the rules Tessera's own client keeps:
/// any record and hello version, legacy suites, one group at a time, an empty key_share. It is only ever the first
/// flight; the scanner reads the server's answer and hangs up.
/// </summary>
internal sealed record ProbeHello
{
    /// <summary>What a version or suite probe offers: the common groups, so any ECDHE server finds one it has.</summary>
    public static readonly IReadOnlyList<ushort> DefaultGroups =
    [
        (ushort)NamedGroup.X25519, (ushort)NamedGroup.Secp256r1, (ushort)NamedGroup.Secp384r1, (ushort)NamedGroup.Secp521r1,
        (ushort)NamedGroup.X448, 0x0016, 0x0015, 0x001a, 0x001b, 0x001c, (ushort)NamedGroup.X25519MLKEM768,
        (ushort)NamedGroup.Ffdhe2048, (ushort)NamedGroup.Ffdhe3072, (ushort)NamedGroup.Ffdhe4096, (ushort)NamedGroup.Ffdhe6144, (ushort)NamedGroup.Ffdhe8192,
    ];


    public required ProtocolVersion Version { get; init; }
    public required IReadOnlyList<ushort> Suites { get; init; }
    public IReadOnlyList<ushort> Groups { get; init; } = ProbeHello.DefaultGroups;
    /// <summary>TLS 1.3 only: the groups to send a key share for. Empty asks for a HelloRetryRequest naming the server's choice.</summary>
    public IReadOnlyList<ushort> KeyShareGroups { get; init; } = [(ushort)NamedGroup.X25519];
    public string? ServerName { get; init; }
    /// <summary>TLS_FALLBACK_SCSV (RFC 7507) at the end of the suites: this hello claims to be a fallback.</summary>
    public bool Fallback { get; init; }
    public bool ExtendedMasterSecret { get; init; } = true;
    /// <summary>The signature schemes offered; all of <see cref="AllSignatureSchemes"/> unless a probe asks about one.</summary>
    public IReadOnlyList<ushort> SignatureSchemes { get; init; } = AllSignatureSchemes;
    /// <summary>record_size_limit to offer (RFC 8449), or none.</summary>
    public ushort? RecordSizeLimit { get; init; }
    /// <summary>Offer DEFLATE before null compression (RFC 3749): a server that takes it is open to CRIME.</summary>
    public bool OfferDeflate { get; init; }
    /// <summary>Offer the heartbeat extension (RFC 6520, peer_allowed_to_send).</summary>
    public bool Heartbeat { get; init; }

    /// <summary>Signature schemes offered: every one a server might still sign with, SHA-1 included, so the answer shows the server's choice.</summary>
    public static readonly IReadOnlyList<ushort> AllSignatureSchemes =
    [
        0x0807, 0x0808, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202,
    ];

    /// <summary>The record (or records) to write: a TLS handshake record carrying the ClientHello.</summary>
    public byte[] Encode()
    {
        var suites = new List<ushort>(Suites.Count + 2);
        foreach (var s in Suites) suites.Add(s);
        var extensions = new List<TlsExtension>();
        if (Version == ProtocolVersion.Ssl30)
        {
            // SSL 3.0 predates extensions; the SCSV is how such a hello asks for secure renegotiation (RFC 5746 §3.3).
            suites.Add((ushort)CipherSuite.TlsEmptyRenegotiationInfoScsv);
        }
        else
        {
            // RFC 6066 §3: a literal IP address is not a HostName, so no SNI for one.
            if (ServerName is { } name && !IPAddress.TryParse(name, out _))
                extensions.Add(new TlsExtension(ExtensionType.ServerName, ServerNameExtension.Body(name)));
            extensions.Add(new TlsExtension(ExtensionType.SupportedGroups, WriteList16(Groups)));
            extensions.Add(new TlsExtension(ExtensionType.EcPointFormats, EcPointFormatsExtension.UncompressedBody()));
            extensions.Add(new TlsExtension(ExtensionType.SignatureAlgorithms, WriteList16(SignatureSchemes)));
            extensions.Add(new TlsExtension(ExtensionType.RenegotiationInfo, RenegotiationInfoExtension.EmptyBody()));
            // RFC 6066 §8: asks for a stapled OCSP response, which TLS 1.2 servers send in CertificateStatus.
            extensions.Add(new TlsExtension(ExtensionType.StatusRequest, StatusRequestExtension.OcspRequestBody()));
            if (ExtendedMasterSecret) extensions.Add(new TlsExtension(ExtensionType.ExtendedMasterSecret, []));
            if (RecordSizeLimit is { } limit) extensions.Add(new TlsExtension(ExtensionType.RecordSizeLimit, RecordSizeLimitExtension.Body(limit)));
            if (Heartbeat) extensions.Add(new TlsExtension((ExtensionType)15, [1]));
            extensions.Add(new TlsExtension(ExtensionType.SessionTicket, []));
            if (Version == ProtocolVersion.Tls13)
            {
                extensions.Add(new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.ClientHelloBody((ushort)ProtocolVersion.Tls13)));
                extensions.Add(new TlsExtension(ExtensionType.PskKeyExchangeModes, PskKeyExchangeModesExtension.Body(1)));
                var shares = new List<KeyShareEntry>();
                foreach (var g in KeyShareGroups) shares.Add(new KeyShareEntry((NamedGroup)g, ShareFor(g)));
                extensions.Add(new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody(shares)));
            }
        }
        if (Fallback) suites.Add((ushort)CipherSuite.TlsFallbackScsv);
        var hello = new ClientHello
        {
            // RFC 8446 §4.1.2: a TLS 1.3 hello says 1.2 here and the truth in supported_versions.
            LegacyVersion = Version == ProtocolVersion.Tls13 ? (ushort)ProtocolVersion.Tls12 : (ushort)Version,
            Random = RandomNumberGenerator.GetBytes(32),
            // A TLS 1.3 hello carries a session id so middlebox-compatible servers answer the way they do for browsers.
            LegacySessionId = Version == ProtocolVersion.Tls13 ? RandomNumberGenerator.GetBytes(32) : [],
            CipherSuites = suites,
            LegacyCompressionMethods = OfferDeflate ? [1, 0] : [0],
            Extensions = extensions,
        };
        var message = hello.Encode().Span;
        // RFC 8446 §5.1: the first record says 0x0301 for compatibility; SSL 3.0 says its own version.
        var recordVersion = Version == ProtocolVersion.Ssl30 ? (ushort)0x0300 : (ushort)0x0301;
        var record = new byte[5 + message.Length];
        record[0] = (byte)ContentType.Handshake;
        record[1] = (byte)(recordVersion >> 8);
        record[2] = (byte)recordVersion;
        record[3] = (byte)(message.Length >> 8);
        record[4] = (byte)message.Length;
        message.CopyTo(record.AsSpan(5));
        return record;
    }

    /// <summary>
    /// A key share that parses: the server never gets to use it, because the probe hangs up after ServerHello. X25519
    /// and X448 take any string; P-256/384/521 need a point on the curve, so a fresh key is made for those.
    /// </summary>
    private static byte[] ShareFor(ushort group)
    {
        switch ((NamedGroup)group)
        {
            case NamedGroup.X25519: return RandomNumberGenerator.GetBytes(32);
            case NamedGroup.X448: return RandomNumberGenerator.GetBytes(56);
            case NamedGroup.Secp256r1: return EcPoint(ECCurve.NamedCurves.nistP256);
            case NamedGroup.Secp384r1: return EcPoint(ECCurve.NamedCurves.nistP384);
            case NamedGroup.Secp521r1: return EcPoint(ECCurve.NamedCurves.nistP521);
            default: throw new ArgumentOutOfRangeException(nameof(group), $"no key share for group 0x{group:x4}; offer it with an empty key_share instead");
        }
    }

    private static byte[] EcPoint(ECCurve curve)
    {
        using var ec = ECDiffieHellman.Create(curve);
        var p = ec.ExportParameters(false).Q;
        var point = new byte[1 + p.X!.Length + p.Y!.Length];
        point[0] = 4;
        p.X.CopyTo(point, 1);
        p.Y.CopyTo(point, 1 + p.X.Length);
        return point;
    }

    private static byte[] WriteList16(IReadOnlyList<ushort> values)
    {
        var body = new byte[2 + 2 * values.Count];
        body[0] = (byte)(values.Count * 2 >> 8);
        body[1] = (byte)(values.Count * 2);
        for (var i = 0; i < values.Count; i++)
        {
            body[2 + 2 * i] = (byte)(values[i] >> 8);
            body[3 + 2 * i] = (byte)values[i];
        }
        return body;
    }
}
