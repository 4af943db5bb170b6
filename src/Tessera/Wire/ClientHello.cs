namespace Tessera.Wire;

/// <summary>RFC 8446 §4.1.2 ClientHello. Cipher suites stay raw numbers so GREASE and legacy values survive a round trip.</summary>
public sealed class ClientHello
{
    /// <summary>legacy_version: 0x0303 (TLS 1.2) for every TLS 1.3 client (RFC 8446 §4.1.2).</summary>
    public ushort LegacyVersion { get; init; } = (ushort)ProtocolVersion.Tls12;
    /// <summary>The 32-byte client random.</summary>
    public required byte[] Random { get; init; }
    /// <summary>legacy_session_id: up to 32 bytes (a TLS 1.2 session to resume, or a middlebox-compatibility value).</summary>
    public byte[] LegacySessionId { get; init; } = [];
    /// <summary>The offered cipher suites, in the client's order, as raw code points.</summary>
    public required IReadOnlyList<ushort> CipherSuites { get; init; }
    /// <summary>legacy_compression_methods: { 0 } (null compression only) from any current client.</summary>
    public byte[] LegacyCompressionMethods { get; init; } = [0];
    /// <summary>The extensions, in the order sent.</summary>
    public required List<TlsExtension> Extensions { get; init; }

    /// <summary>Decodes the message body (after the 4-byte header); anything malformed is decode_error.</summary>
    public static ClientHello Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var version = r.ReadUInt16();
        var random = r.ReadBytes(32).ToArray();
        var sessionId = r.ReadVector8();
        if (sessionId.Length > 32) throw TlsException.DecodeError("ClientHello legacy_session_id longer than 32 bytes");
        var suitesReader = r.ReadNested16();
        if (suitesReader.Remaining < 2 || suitesReader.Remaining % 2 != 0)
            throw TlsException.DecodeError("ClientHello cipher_suites must be a non-empty list of 2-byte values");
        var suites = new List<ushort>(suitesReader.Remaining / 2);
        while (!suitesReader.IsEmpty) suites.Add(suitesReader.ReadUInt16());
        var compression = r.ReadVector8();
        if (compression.IsEmpty) throw TlsException.DecodeError("ClientHello legacy_compression_methods is empty");
        var extensions = TlsExtension.ReadBlock(ref r, "ClientHello");
        r.ExpectEnd("ClientHello");
        return new ClientHello
        {
            LegacyVersion = version,
            Random = random,
            LegacySessionId = sessionId.ToArray(),
            CipherSuites = suites,
            LegacyCompressionMethods = compression.ToArray(),
            Extensions = extensions,
        };
    }

    /// <summary>The framed message.</summary>
    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.ClientHello, w =>
    {
        w.WriteUInt16(LegacyVersion);
        w.WriteBytes(Random);
        w.WriteVector8(LegacySessionId);
        using (w.BeginVector(2))
            foreach (var s in CipherSuites.Each()) w.WriteUInt16(s);
        w.WriteVector8(LegacyCompressionMethods);
        TlsExtension.WriteBlock(w, Extensions);
    });
}
