using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// The parts of a ClientHello the server decides on, read once in place from the received message (RFC 8446 §4.1.2):
/// the fixed fields it keeps, and each extension it understands decoded straight from its slice of the message — no
/// <see cref="ClientHello"/> object and no array per extension. <see cref="Hello"/>, the whole decoded hello, is made
/// only when asked (the TLS 1.2 server reads its legacy extensions there), while the message is being handled.
/// </summary>
internal sealed class ClientHelloOffer
{
    private readonly HandshakeMessage _message;
    private ClientHello? _hello;

    private ClientHelloOffer(HandshakeMessage message, byte[] random, byte[] sessionId, ushort[] suites)
    {
        _message = message;
        Random = random;
        LegacySessionId = sessionId;
        CipherSuites = suites;
    }

    /// <summary>The whole hello, decoded from the message on first use; only while the message is being handled.</summary>
    public ClientHello Hello => _hello ??= ClientHello.Decode(_message.Body);

    public ushort LegacyVersion { get; private set; }
    public byte[] Random { get; }
    public byte[] LegacySessionId { get; }
    /// <summary>The offered suites as raw code points, GREASE and legacy values included, in the client's order.</summary>
    public ushort[] CipherSuites { get; }
    /// <summary>legacy_compression_methods is exactly { null }, as TLS 1.3 requires (RFC 8446 §4.1.2).</summary>
    public bool NullCompressionOnly { get; private set; }
    public string? ServerName { get; private set; }
    public List<ushort> Versions { get; private set; } = [];
    public List<NamedGroup>? Groups { get; private set; }
    public List<KeyShareEntry>? KeyShares { get; private set; }
    public List<SignatureScheme>? SignatureSchemes { get; private set; }
    public List<string>? Alpn { get; private set; }
    public byte[]? Cookie { get; private set; }
    public byte[]? PskModes { get; private set; }
    public ushort? RecordSizeLimit { get; private set; }
    public bool StatusRequest { get; private set; }
    /// <summary>RFC 8879: the algorithms the client can decompress the server's certificate with, or null.</summary>
    public List<CertificateCompressionAlgorithm>? CertificateCompression { get; private set; }
    public bool EarlyData { get; private set; }
    public OfferedPsks? PreSharedKey { get; private set; }

    public static ClientHelloOffer Parse(HandshakeMessage message)
    {
        var r = new TlsReader(message.Body);
        var head = ClientHelloHead.Read(ref r);
        var suites = new ushort[head.SuiteCount];
        for (var i = 0; i < suites.Length; i++) suites[i] = head.Suite(i);
        var o = new ClientHelloOffer(message, head.Random.ToArray(), head.LegacySessionId.ToArray(), suites)
        {
            LegacyVersion = head.LegacyVersion,
            NullCompressionOnly = head.CompressionMethods is [0],
        };
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        var extensions = new ExtensionBlockReader(ExtensionBlockReader.Of(ref r), seen, "ClientHello");
        while (extensions.TryRead(out var type, out var body))
        {
            switch (type)
            {
                case ExtensionType.ServerName: o.ServerName = ServerNameExtension.Read(body); break;
                case ExtensionType.SupportedVersions: o.Versions = SupportedVersionsExtension.ReadClientHello(body); break;
                case ExtensionType.SupportedGroups: o.Groups = SupportedGroupsExtension.Read(body); break;
                case ExtensionType.KeyShare: o.KeyShares = KeyShareExtension.ReadClientHello(body); break;
                case ExtensionType.SignatureAlgorithms: o.SignatureSchemes = SignatureAlgorithmsExtension.Read(body); break;
                case ExtensionType.SignatureAlgorithmsCert: SignatureAlgorithmsExtension.Read(body); break;
                case ExtensionType.ApplicationLayerProtocolNegotiation: o.Alpn = AlpnExtension.Read(body); break;
                case ExtensionType.Cookie: o.Cookie = CookieExtension.Read(body); break;
                case ExtensionType.PskKeyExchangeModes: o.PskModes = PskKeyExchangeModesExtension.Read(body); break;
                case ExtensionType.RecordSizeLimit: o.RecordSizeLimit = RecordSizeLimitExtension.Read(body); break;
                case ExtensionType.StatusRequest: o.StatusRequest = StatusRequestExtension.Read(body); break;
                case ExtensionType.CompressCertificate: o.CertificateCompression = CompressCertificateExtension.Read(body); break;
                case ExtensionType.EarlyData: TlsExtension.ExpectEmpty(body, type); o.EarlyData = true; break;
                case ExtensionType.PreSharedKey:
                    // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension.
                    if (!extensions.IsEmpty) throw TlsException.Illegal("pre_shared_key is not the last extension in ClientHello");
                    o.PreSharedKey = PreSharedKeyExtension.ReadClientHello(body);
                    break;
            }
        }
        r.ExpectEnd("ClientHello");
        if (o.KeyShares is not null && o.Groups is null)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has key_share but no supported_groups (RFC 8446 §9.2)");
        if (o.KeyShares is not null)
            foreach (var k in o.KeyShares)
                if (!o.Groups!.Contains(k.Group))
                    throw TlsException.Illegal($"ClientHello sends a key share for {TlsNames.Of(k.Group)}, which is not in its supported_groups");
        return o;
    }
}
