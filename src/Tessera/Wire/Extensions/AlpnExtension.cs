using System.Text;

namespace Tessera.Wire;

/// <summary>
/// application_layer_protocol_negotiation (RFC 7301 §3.1). Protocol names are opaque bytes; Latin-1 maps them one to
/// one onto chars, so nothing is lost either way.
/// </summary>
public static class AlpnExtension
{
    internal static void Write(TlsWriter w, IReadOnlyList<string> protocols)
    {
        using (w.BeginVector(2))
        {
            for (var i = 0; i < protocols.Count; i++)
                using (w.BeginVector(1)) w.WriteSingleByteText(protocols[i], Encoding.Latin1);
        }
    }

    /// <summary>The body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] Body(IReadOnlyList<string> protocols) => TlsExtension.BodyOf(protocols, Write);

    /// <summary>The listed names; an empty list or an empty name is decode_error.</summary>
    public static List<string> Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("application_layer_protocol_negotiation");
        var result = new List<string>();
        while (!list.IsEmpty)
        {
            var p = list.ReadVector8();
            if (p.IsEmpty) throw TlsException.DecodeError("empty protocol name in ALPN");
            result.Add(Encoding.Latin1.GetString(p));
        }
        if (result.Count == 0) throw TlsException.DecodeError("ALPN list is empty");
        return result;
    }
}
