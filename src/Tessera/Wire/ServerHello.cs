namespace Tessera.Wire;

/// <summary>RFC 8446 §4.1.3 ServerHello, which is also the shape of HelloRetryRequest (§4.1.4).</summary>
public sealed class ServerHello
{
    /// <summary>SHA-256("HelloRetryRequest"), the random that marks a HelloRetryRequest (RFC 8446 §4.1.3).</summary>
    public static ReadOnlySpan<byte> HelloRetryRequestRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    /// <summary>legacy_version: 0x0303 in TLS 1.3; the negotiated version in TLS 1.2 and below.</summary>
    public ushort LegacyVersion { get; init; } = (ushort)ProtocolVersion.Tls12;
    /// <summary>The 32-byte server random (<see cref="HelloRetryRequestRandom"/> in a HelloRetryRequest).</summary>
    public required byte[] Random { get; init; }
    /// <summary>legacy_session_id_echo: the client's legacy_session_id, echoed (TLS 1.3), or the session ID (TLS 1.2).</summary>
    public byte[] LegacySessionIdEcho { get; init; } = [];
    /// <summary>The chosen cipher suite's code point.</summary>
    public required ushort CipherSuite { get; init; }
    /// <summary>legacy_compression_method: 0.</summary>
    public byte LegacyCompressionMethod { get; init; }
    /// <summary>The extensions, in the order sent.</summary>
    public required List<TlsExtension> Extensions { get; init; }

    /// <summary>Whether this is a HelloRetryRequest (its random is <see cref="HelloRetryRequestRandom"/>).</summary>
    public bool IsHelloRetryRequest => Random.AsSpan().SequenceEqual(HelloRetryRequestRandom);

    /// <summary>Decodes the message body (after the 4-byte header); anything malformed is decode_error.</summary>
    public static ServerHello Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var version = r.ReadUInt16();
        var random = r.ReadBytes(32).ToArray();
        var sessionId = r.ReadVector8();
        if (sessionId.Length > 32) throw TlsException.DecodeError("ServerHello legacy_session_id_echo longer than 32 bytes");
        var suite = r.ReadUInt16();
        var compression = r.ReadUInt8();
        var extensions = TlsExtension.ReadBlock(ref r, "ServerHello");
        r.ExpectEnd("ServerHello");
        return new ServerHello
        {
            LegacyVersion = version,
            Random = random,
            LegacySessionIdEcho = sessionId.ToArray(),
            CipherSuite = suite,
            LegacyCompressionMethod = compression,
            Extensions = extensions,
        };
    }

    /// <summary>The framed message.</summary>
    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.ServerHello, w =>
    {
        w.WriteUInt16(LegacyVersion);
        w.WriteBytes(Random);
        w.WriteVector8(LegacySessionIdEcho);
        w.WriteUInt16(CipherSuite);
        w.WriteUInt8(LegacyCompressionMethod);
        TlsExtension.WriteBlock(w, Extensions);
    });
}
