namespace Tessera.Wire;

/// <summary>renegotiation_info (RFC 5746 §3.2): Tessera never renegotiates, so it is always empty.</summary>
public static class RenegotiationInfoExtension
{
    /// <summary>An initial handshake's body: an empty renegotiated_connection.</summary>
    internal static void WriteEmpty(TlsWriter w) => w.WriteUInt8(0);

    /// <summary>The empty body, for tools that assemble hellos of their own.</summary>
    public static byte[] EmptyBody() => [0];

    /// <summary>True when renegotiated_connection is empty, as it must be on an initial handshake (RFC 5746 §3.4, §3.6).</summary>
    public static bool IsEmpty(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var inner = r.ReadVector8();
        r.ExpectEnd("renegotiation_info");
        return inner.IsEmpty;
    }
}
