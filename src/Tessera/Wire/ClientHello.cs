#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>RFC 8446 §4.1.2 ClientHello. Cipher suites stay raw numbers so GREASE and legacy values survive a round trip.</summary>
public sealed class ClientHello
{
    public ushort LegacyVersion { get; init; } = (ushort)ProtocolVersion.Tls12;
    public required byte[] Random { get; init; }
    public byte[] LegacySessionId { get; init; } = [];
    public required IReadOnlyList<ushort> CipherSuites { get; init; }
    public byte[] LegacyCompressionMethods { get; init; } = [0];
    public required List<TlsExtension> Extensions { get; init; }

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
