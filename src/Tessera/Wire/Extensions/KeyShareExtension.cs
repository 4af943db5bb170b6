namespace Tessera.Wire;

/// <summary>
/// key_share (RFC 8446 §4.2.8): the client's shares in a ClientHello, the server's one share in a ServerHello, and
/// the group a HelloRetryRequest asks for.
/// </summary>
public static class KeyShareExtension
{
    internal static void WriteClientHello(TlsWriter w, IReadOnlyList<KeyShareEntry> entries)
    {
        using (w.BeginVector(2))
            for (var i = 0; i < entries.Count; i++) WriteEntry(w, entries[i].Group, entries[i].KeyExchange);
    }

    /// <summary>A ClientHello body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] ClientHelloBody(IReadOnlyList<KeyShareEntry> entries) => TlsExtension.BodyOf(entries, WriteClientHello);

    internal static void WriteEntry(TlsWriter w, NamedGroup group, ReadOnlySpan<byte> keyExchange)
    {
        w.WriteUInt16((ushort)group);
        w.WriteVector16(keyExchange);
    }

    internal static void WriteHelloRetryRequest(TlsWriter w, NamedGroup group) => w.WriteUInt16((ushort)group);

    /// <summary>The client's shares in order; a group offered twice is illegal_parameter.</summary>
    public static List<KeyShareEntry> ReadClientHello(ReadOnlySpan<byte> body)
    {
        // The checks are KeyShareList's (one rule for the server's in-place reader and this copy).
        var shares = KeyShareList.Read(body);
        var result = new List<KeyShareEntry>(shares.Count);
        foreach (var share in shares) result.Add(new KeyShareEntry(share.Group, share.KeyExchange.ToArray()));
        return result;
    }

    /// <summary>The server's one share.</summary>
    public static KeyShareEntry ReadServerHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var e = ReadEntry(ref r);
        r.ExpectEnd("key_share");
        return e;
    }

    /// <summary>The server's one share, read in place: its group, and its key as a slice of <paramref name="body"/>.</summary>
    internal static NamedGroup ReadServerHello(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> keyExchange)
    {
        var r = new TlsReader(body);
        var group = (NamedGroup)r.ReadUInt16();
        keyExchange = r.ReadVector16();
        r.ExpectEnd("key_share");
        if (keyExchange.IsEmpty) throw TlsException.DecodeError("key_share entry with empty key_exchange");
        return group;
    }

    /// <summary>The group a HelloRetryRequest asks for.</summary>
    public static NamedGroup ReadHelloRetryRequest(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var g = (NamedGroup)r.ReadUInt16();
        r.ExpectEnd("key_share");
        return g;
    }

    private static KeyShareEntry ReadEntry(ref TlsReader r)
    {
        var group = (NamedGroup)r.ReadUInt16();
        var key = r.ReadVector16();
        if (key.IsEmpty) throw TlsException.DecodeError("key_share entry with empty key_exchange");
        return new KeyShareEntry(group, key.ToArray());
    }
}
