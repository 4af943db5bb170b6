using System.Buffers.Binary;

namespace Tessera.Wire;

/// <summary>
/// The fixed fields of a ClientHello before its extensions (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), read and checked in
/// one place for every reader of a ClientHello — the server's in-place offer and the decoded message — as slices of
/// the message: nothing is copied until a reader keeps it.
/// </summary>
internal readonly ref struct ClientHelloHead
{
    public ushort LegacyVersion { get; private init; }
    public ReadOnlySpan<byte> Random { get; private init; }
    public ReadOnlySpan<byte> LegacySessionId { get; private init; }
    /// <summary>The cipher_suites list: a non-empty, even number of bytes.</summary>
    public ReadOnlySpan<byte> CipherSuites { get; private init; }
    public ReadOnlySpan<byte> CompressionMethods { get; private init; }

    public int SuiteCount => CipherSuites.Length / 2;
    public ushort Suite(int index) => BinaryPrimitives.ReadUInt16BigEndian(CipherSuites[(2 * index)..]);

    /// <summary>Reads the fields from <paramref name="r"/>, which is left at the extensions block; decode_error for a malformed field.</summary>
    public static ClientHelloHead Read(ref TlsReader r)
    {
        var version = r.ReadUInt16();
        var random = r.ReadBytes(32);
        var sessionId = r.ReadVector8();
        if (sessionId.Length > 32) throw TlsException.DecodeError("ClientHello legacy_session_id longer than 32 bytes");
        var suites = r.ReadVector16();
        if (suites.Length < 2 || suites.Length % 2 != 0)
            throw TlsException.DecodeError("ClientHello cipher_suites must be a non-empty list of 2-byte values");
        var compression = r.ReadVector8();
        if (compression.IsEmpty) throw TlsException.DecodeError("ClientHello legacy_compression_methods is empty");
        return new ClientHelloHead
        {
            LegacyVersion = version,
            Random = random,
            LegacySessionId = sessionId,
            CipherSuites = suites,
            CompressionMethods = compression,
        };
    }
}
