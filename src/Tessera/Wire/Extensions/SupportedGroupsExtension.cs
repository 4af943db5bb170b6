namespace Tessera.Wire;

/// <summary>supported_groups (RFC 8446 §4.2.7): the key-exchange groups a side accepts, most preferred first.</summary>
public static class SupportedGroupsExtension
{
    internal static void Write(TlsWriter w, IReadOnlyList<NamedGroup> groups)
    {
        using (w.BeginVector(2))
            for (var i = 0; i < groups.Count; i++) w.WriteUInt16((ushort)groups[i]);
    }

    /// <summary>The body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] Body(IReadOnlyList<NamedGroup> groups) => TlsExtension.BodyOf(groups, Write);

    /// <summary>The listed groups, unknown ones included; an empty or odd-length list is decode_error.</summary>
    public static List<NamedGroup> Read(ReadOnlySpan<byte> body)
    {
        var list = new TlsReader(ReadInPlace(body));
        var result = new List<NamedGroup>(list.Remaining / 2);
        while (!list.IsEmpty) result.Add((NamedGroup)list.ReadUInt16());
        return result;
    }

    /// <summary>The checked list as a slice of the body (2-byte code points, big-endian), for readers that keep nothing.</summary>
    internal static ReadOnlySpan<byte> ReadInPlace(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector16();
        r.ExpectEnd("supported_groups");
        if (list.IsEmpty || list.Length % 2 != 0) throw TlsException.DecodeError("supported_groups must be a non-empty list of 2-byte values");
        return list;
    }
}
