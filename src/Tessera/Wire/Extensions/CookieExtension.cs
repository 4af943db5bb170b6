namespace Tessera.Wire;

/// <summary>cookie (RFC 8446 §4.2.2): sent by a server in HelloRetryRequest, echoed by the client.</summary>
public static class CookieExtension
{
    internal static void Write(TlsWriter w, ReadOnlySpan<byte> cookie) => w.WriteVector16(cookie);

    /// <summary>The cookie; an empty one is decode_error.</summary>
    public static byte[] Read(ReadOnlySpan<byte> body) => ReadInPlace(body).ToArray();

    /// <summary>The cookie as a slice of the body.</summary>
    internal static ReadOnlySpan<byte> ReadInPlace(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var c = r.ReadVector16();
        r.ExpectEnd("cookie");
        if (c.IsEmpty) throw TlsException.DecodeError("empty cookie");
        return c;
    }
}
