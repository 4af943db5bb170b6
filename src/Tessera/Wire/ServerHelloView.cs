namespace Tessera.Wire;

/// <summary>
/// A received ServerHello or HelloRetryRequest (RFC 8446 §4.1.3) read in place: its fields are slices of the message,
/// checked once when read; its extensions are walked from the message by <see cref="Extensions"/>. Nothing is copied.
/// </summary>
internal readonly ref struct ServerHelloView
{
    private readonly TlsReader _extensions;

    private ServerHelloView(ushort version, ReadOnlySpan<byte> random, ReadOnlySpan<byte> sessionIdEcho, ushort suite, byte compression, TlsReader extensions)
    {
        LegacyVersion = version;
        Random = random;
        LegacySessionIdEcho = sessionIdEcho;
        CipherSuite = suite;
        LegacyCompressionMethod = compression;
        _extensions = extensions;
    }

    public ushort LegacyVersion { get; }
    public ReadOnlySpan<byte> Random { get; }
    public ReadOnlySpan<byte> LegacySessionIdEcho { get; }
    public ushort CipherSuite { get; }
    public byte LegacyCompressionMethod { get; }

    /// <summary>RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this special random.</summary>
    public bool IsHelloRetryRequest => Random.SequenceEqual(ServerHello.HelloRetryRequestRandom);

    /// <summary>Reads the body; the extension block is walked once here so a type sent twice is illegal_parameter before anything is acted on.</summary>
    public static ServerHelloView Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var version = r.ReadUInt16();
        var random = r.ReadBytes(32);
        var sessionId = r.ReadVector8();
        if (sessionId.Length > 32) throw TlsException.DecodeError("ServerHello legacy_session_id_echo longer than 32 bytes");
        var suite = r.ReadUInt16();
        var compression = r.ReadUInt8();
        var block = ExtensionBlockReader.Of(ref r);
        r.ExpectEnd("ServerHello");
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        var check = new ExtensionBlockReader(block, seen, "ServerHello");
        while (check.TryRead(out _, out _))
        {
        }
        return new ServerHelloView(version, random, sessionId, suite, compression, block);
    }

    /// <summary>The extensions in order (already checked for duplicates by <see cref="Read"/>).</summary>
    public ExtensionBlockReader Extensions => new(_extensions, [], "ServerHello");

    /// <summary>The body of the extension of <paramref name="type"/>, or false when there is none.</summary>
    public bool TryFind(ExtensionType type, out ReadOnlySpan<byte> body)
    {
        var extensions = Extensions;
        while (extensions.TryRead(out var t, out body))
            if (t == type) return true;
        body = default;
        return false;
    }
}
