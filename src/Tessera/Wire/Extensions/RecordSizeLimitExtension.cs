namespace Tessera.Wire;

/// <summary>record_size_limit (RFC 8449 §4): the largest record plaintext the sender will accept.</summary>
public static class RecordSizeLimitExtension
{
    internal static void Write(TlsWriter w, ushort limit) => w.WriteUInt16(limit);

    /// <summary>The body as an array, for tools that assemble hellos of their own.</summary>
    public static byte[] Body(ushort limit) => [(byte)(limit >> 8), (byte)limit];

    /// <summary>The limit; below 64 is illegal_parameter (RFC 8449 §4).</summary>
    public static ushort Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt16();
        r.ExpectEnd("record_size_limit");
        if (v < 64) throw TlsException.Illegal($"record_size_limit {v} is below the minimum of 64");
        return v;
    }
}
