namespace Tessera.Wire;

/// <summary>supported_versions (RFC 8446 §4.2.1): the client's list, most preferred first; the server's one choice.</summary>
public static class SupportedVersionsExtension
{
    internal static void WriteClientHello(TlsWriter w, ReadOnlySpan<ushort> versions)
    {
        using (w.BeginVector(1))
            foreach (var v in versions) w.WriteUInt16(v);
    }

    /// <summary>A ClientHello body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] ClientHelloBody(params ushort[] versions) => TlsExtension.BodyOf(versions, static (w, v) => WriteClientHello(w, v));

    internal static void WriteServerHello(TlsWriter w, ushort version) => w.WriteUInt16(version);

    /// <summary>The client's list, unknown and GREASE values included.</summary>
    public static List<ushort> ReadClientHello(ReadOnlySpan<byte> body)
    {
        var list = new TlsReader(ReadClientHelloInPlace(body));
        var result = new List<ushort>(list.Remaining / 2);
        while (!list.IsEmpty) result.Add(list.ReadUInt16());
        return result;
    }

    /// <summary>The checked list as a slice of the body (2-byte values), for readers that keep nothing.</summary>
    internal static ReadOnlySpan<byte> ReadClientHelloInPlace(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector8();
        r.ExpectEnd("supported_versions");
        if (list.Length < 2 || list.Length % 2 != 0) throw TlsException.DecodeError("supported_versions must be a non-empty list of 2-byte values");
        return list;
    }

    /// <summary>The server's choice.</summary>
    public static ushort ReadServerHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt16();
        r.ExpectEnd("supported_versions");
        return v;
    }
}
