using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// The parts of a ClientHello the server decides on, read once in place from the received message (RFC 8446 §4.1.2):
/// every field and every extension it understands is checked here, once, and kept as the position of its bytes in the
/// message, so a list is a view (<see cref="CodePointList"/>, <see cref="KeyShareList"/>, <see cref="ProtocolNameList"/>)
/// and nothing is copied. Valid only while the message is being handled, which is the only time anyone asks.
/// <see cref="Hello"/>, the whole decoded hello, is made only when asked (the TLS 1.2 server reads its legacy extensions there).
/// </summary>
internal sealed class ClientHelloOffer
{
    private readonly HandshakeMessage _message;
    private ClientHello? _hello;
    private int _keyShareCount, _pskCount;
    private Slice _psk = Slice.Absent;
    private Slice _random, _sessionId, _suites, _versions, _groups, _keyShares, _schemes, _alpn, _cookie, _compression;

    private ClientHelloOffer(HandshakeMessage message) => _message = message;

    /// <summary>Where a field's bytes are in the message body; an absent extension has length -1.</summary>
    private readonly record struct Slice(int Start, int Length)
    {
        public static readonly Slice Absent = new(0, -1);
        public bool Present => Length >= 0;
    }

    /// <summary>The whole hello, decoded from the message on first use; only while the message is being handled.</summary>
    public ClientHello Hello => _hello ??= ClientHello.Decode(_message.Body);

    public ushort LegacyVersion { get; private set; }
    public ReadOnlySpan<byte> Random => Bytes(_random);
    public ReadOnlySpan<byte> LegacySessionId => Bytes(_sessionId);
    /// <summary>The offered suites as raw code points, GREASE and legacy values included, in the client's order.</summary>
    public CodePointList CipherSuites => new(Bytes(_suites));
    /// <summary>legacy_compression_methods is exactly { null }, as TLS 1.3 requires (RFC 8446 §4.1.2).</summary>
    public bool NullCompressionOnly { get; private set; }
    public string? ServerName { get; private set; }
    /// <summary>supported_versions, empty when absent (a present list is never empty).</summary>
    public CodePointList Versions => new(Bytes(_versions));
    public bool HasGroups => _groups.Present;
    public CodePointList Groups => new(Bytes(_groups));
    public bool HasKeyShares => _keyShares.Present;
    /// <summary>Checked when the hello was read; re-sliced here without a second check.</summary>
    public KeyShareList KeyShares => KeyShareList.OfChecked(Bytes(_keyShares), _keyShareCount);
    public bool HasSignatureSchemes => _schemes.Present;
    public CodePointList SignatureSchemes => new(Bytes(_schemes));
    public bool HasAlpn => _alpn.Present;
    public ProtocolNameList Alpn => ProtocolNameList.OfChecked(Bytes(_alpn));
    public bool HasCookie => _cookie.Present;
    public ReadOnlySpan<byte> Cookie => Bytes(_cookie);
    /// <summary>psk_key_exchange_modes lists psk_dhe_ke (RFC 8446 §4.2.9), the only mode Tessera resumes with.</summary>
    public bool OffersPskDheKe { get; private set; }
    public ushort? RecordSizeLimit { get; private set; }
    public bool StatusRequest { get; private set; }
    /// <summary>RFC 8879: the algorithms the client can decompress the server's certificate with; empty when absent.</summary>
    public CodePointList CertificateCompression => new(Bytes(_compression));
    public bool EarlyData { get; private set; }
    public bool HasPreSharedKey => _psk.Present;
    /// <summary>Checked when the hello was read; re-sliced here without a second check.</summary>
    public OfferedPskList PreSharedKey => OfferedPskList.OfChecked(Bytes(_psk), _pskCount);

    private ReadOnlySpan<byte> Bytes(Slice slice) => slice.Present ? _message.Body.Slice(slice.Start, slice.Length) : default;

    private Slice SliceOf(ReadOnlySpan<byte> part)
    {
        _message.Body.Overlaps(part, out var start);
        return new Slice(start, part.Length);
    }

    public static ClientHelloOffer Parse(HandshakeMessage message)
    {
        var r = new TlsReader(message.Body);
        var head = ClientHelloHead.Read(ref r);
        var o = new ClientHelloOffer(message)
        {
            LegacyVersion = head.LegacyVersion,
            NullCompressionOnly = head.CompressionMethods is [0],
            _versions = Slice.Absent, _groups = Slice.Absent, _keyShares = Slice.Absent, _schemes = Slice.Absent,
            _alpn = Slice.Absent, _cookie = Slice.Absent, _compression = Slice.Absent,
        };
        o._random = o.SliceOf(head.Random);
        o._sessionId = o.SliceOf(head.LegacySessionId);
        o._suites = o.SliceOf(head.CipherSuites);
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        var extensions = new ExtensionBlockReader(ExtensionBlockReader.Of(ref r), seen, "ClientHello");
        while (extensions.TryRead(out var type, out var body))
        {
            switch (type)
            {
                case ExtensionType.ServerName: o.ServerName = ServerNameExtension.Read(body); break;
                case ExtensionType.SupportedVersions: o._versions = o.SliceOf(SupportedVersionsExtension.ReadClientHelloInPlace(body)); break;
                case ExtensionType.SupportedGroups: o._groups = o.SliceOf(SupportedGroupsExtension.ReadInPlace(body)); break;
                case ExtensionType.KeyShare:
                    var shares = KeyShareList.Read(body);
                    o._keyShares = o.SliceOf(shares.Entries);
                    o._keyShareCount = shares.Count;
                    break;
                case ExtensionType.SignatureAlgorithms: o._schemes = o.SliceOf(SignatureAlgorithmsExtension.ReadInPlace(body)); break;
                case ExtensionType.SignatureAlgorithmsCert: SignatureAlgorithmsExtension.ReadInPlace(body); break;
                case ExtensionType.ApplicationLayerProtocolNegotiation: o._alpn = o.SliceOf(ProtocolNameList.Read(body).Bytes); break;
                case ExtensionType.Cookie: o._cookie = o.SliceOf(CookieExtension.ReadInPlace(body)); break;
                case ExtensionType.PskKeyExchangeModes: o.OffersPskDheKe = PskKeyExchangeModesExtension.ReadInPlace(body).Contains((byte)1); break;
                case ExtensionType.RecordSizeLimit: o.RecordSizeLimit = RecordSizeLimitExtension.Read(body); break;
                case ExtensionType.StatusRequest: o.StatusRequest = StatusRequestExtension.Read(body); break;
                case ExtensionType.CompressCertificate: o._compression = o.SliceOf(CompressCertificateExtension.ReadInPlace(body)); break;
                case ExtensionType.EarlyData: TlsExtension.ExpectEmpty(body, type); o.EarlyData = true; break;
                case ExtensionType.PreSharedKey:
                    // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension.
                    if (!extensions.IsEmpty) throw TlsException.Illegal("pre_shared_key is not the last extension in ClientHello");
                    o._pskCount = OfferedPskList.Read(body).Count;
                    o._psk = o.SliceOf(body);
                    break;
            }
        }
        r.ExpectEnd("ClientHello");
        if (o.HasKeyShares && !o.HasGroups)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has key_share but no supported_groups (RFC 8446 §9.2)");
        if (o.HasKeyShares) CheckSharesAreListed(o.KeyShares, o.Groups);
        return o;
    }

    /// <summary>Every key share is for a group supported_groups lists (RFC 8446 §4.2.8); a bitmap when both lists are long.</summary>
    private static void CheckSharesAreListed(KeyShareList shares, CodePointList groups)
    {
        ulong[]? listed = null;
        if (shares.Count * groups.Count > 1024)
        {
            listed = new ulong[65536 / 64];
            for (var i = 0; i < groups.Count; i++) listed[groups[i] >> 6] |= 1UL << (groups[i] & 63);
        }
        foreach (var share in shares)
        {
            var group = (ushort)share.Group;
            var found = listed is null ? groups.Contains(group) : (listed[group >> 6] & (1UL << (group & 63))) != 0;
            if (!found)
                throw TlsException.Illegal($"ClientHello sends a key share for {TlsNames.Of((NamedGroup)group)}, which is not in its supported_groups");
        }
    }
}
