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
        var head = ClientHelloHead.Read(ref r);
        var suites = new List<ushort>(head.SuiteCount);
        for (var i = 0; i < head.SuiteCount; i++) suites.Add(head.Suite(i));
        var extensions = TlsExtension.ReadBlock(ref r, "ClientHello");
        r.ExpectEnd("ClientHello");
        return new ClientHello
        {
            LegacyVersion = head.LegacyVersion,
            Random = head.Random.ToArray(),
            LegacySessionId = head.LegacySessionId.ToArray(),
            CipherSuites = suites,
            LegacyCompressionMethods = head.CompressionMethods.ToArray(),
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
