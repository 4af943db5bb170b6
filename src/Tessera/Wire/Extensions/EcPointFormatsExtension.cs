namespace Tessera.Wire;

/// <summary>ec_point_formats (RFC 8422 §5.1.2), TLS 1.2 only: uncompressed(0) is the only format in use.</summary>
public static class EcPointFormatsExtension
{
    internal static void WriteUncompressed(TlsWriter w)
    {
        w.WriteUInt8(1);
        w.WriteUInt8(0);
    }

    /// <summary>The body offering uncompressed points only, for tools that assemble hellos of their own.</summary>
    public static byte[] UncompressedBody() => [1, 0];

    /// <summary>Whether the list includes uncompressed(0), which RFC 8422 §5.1.2 makes mandatory.</summary>
    public static bool Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector8();
        r.ExpectEnd("ec_point_formats");
        if (list.IsEmpty) throw TlsException.DecodeError("ec_point_formats is empty");
        return list.IndexOf((byte)0) >= 0;
    }
}
