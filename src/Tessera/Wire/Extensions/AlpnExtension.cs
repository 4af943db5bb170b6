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

    /// <summary>A server's answer (RFC 7301 §3.1): a list of exactly the one protocol it selected, written in place.</summary>
    internal static void WriteSelection(TlsWriter w, string protocol)
    {
        using (w.BeginVector(2))
        using (w.BeginVector(1)) w.WriteSingleByteText(protocol, Encoding.Latin1);
    }

    /// <summary>The body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] Body(IReadOnlyList<string> protocols) => TlsExtension.BodyOf(protocols, Write);

    /// <summary>The listed names; an empty list or an empty name is decode_error.</summary>
    public static List<string> Read(ReadOnlySpan<byte> body) => ProtocolNameList.Read(body).ToList();   // its checks, one rule

    /// <summary>
    /// A server's selection (RFC 7301 §3.1): exactly one name, one of <paramref name="offered"/>, which is returned (so
    /// the selection costs no string of its own); anything else is illegal_parameter, a malformed list decode_error.
    /// </summary>
    internal static string ReadSelection(ReadOnlySpan<byte> body, IReadOnlyList<string> offered)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("application_layer_protocol_negotiation");
        var name = list.ReadVector8();
        if (name.IsEmpty) throw TlsException.DecodeError("empty protocol name in ALPN");
        if (list.IsEmpty)
            for (var i = 0; i < offered.Count; i++)
                if (SameName(offered[i], name)) return offered[i];
        throw TlsException.Illegal($"the server selected ALPN '{Diagnostics.PeerText.List(Read(body), ",")}', which the client did not offer");
    }

    /// <summary>Latin-1 equality of a protocol name and its bytes: one char per byte.</summary>
    private static bool SameName(string name, ReadOnlySpan<byte> bytes)
    {
        if (name.Length != bytes.Length) return false;
        for (var i = 0; i < bytes.Length; i++)
            if (name[i] != bytes[i]) return false;
        return true;
    }
}
