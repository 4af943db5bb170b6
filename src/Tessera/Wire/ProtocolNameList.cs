using System.Text;

namespace Tessera.Wire;

/// <summary>
/// A client's ALPN list (RFC 7301 §3.1) read in place: checked once (non-empty, no empty name), then compared with
/// the server's own protocol names byte for byte, so choosing one makes no string.
/// </summary>
internal readonly ref struct ProtocolNameList
{
    private readonly ReadOnlySpan<byte> _list;

    private ProtocolNameList(ReadOnlySpan<byte> list) => _list = list;

    public bool IsEmpty => _list.IsEmpty;

    /// <summary>The list's bytes (the vector's contents), for keeping their position.</summary>
    public ReadOnlySpan<byte> Bytes => _list;

    /// <summary>A list <see cref="Read"/> checked before (the offer keeps its position, not a second check).</summary>
    public static ProtocolNameList OfChecked(ReadOnlySpan<byte> list) => new(list);

    /// <summary>Reads and checks an application_layer_protocol_negotiation body; decode_error when malformed.</summary>
    public static ProtocolNameList Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector16();
        r.ExpectEnd("application_layer_protocol_negotiation");
        if (list.IsEmpty) throw TlsException.DecodeError("ALPN list is empty");
        for (var names = new TlsReader(list); !names.IsEmpty;)
            if (names.ReadVector8().IsEmpty) throw TlsException.DecodeError("empty protocol name in ALPN");
        return new ProtocolNameList(list);
    }

    /// <summary>Whether the client lists <paramref name="name"/> (Latin-1: one char per byte).</summary>
    public bool Contains(string name)
    {
        for (var names = new TlsReader(_list); !names.IsEmpty;)
        {
            var candidate = names.ReadVector8();
            if (candidate.Length != name.Length) continue;
            var same = true;
            for (var i = 0; i < candidate.Length && same; i++) same = candidate[i] == name[i];
            if (same) return true;
        }
        return false;
    }

    /// <summary>The names as strings, for a refusal's message and for callbacks that take a list.</summary>
    public List<string> ToList()
    {
        var result = new List<string>();
        for (var names = new TlsReader(_list); !names.IsEmpty;) result.Add(Encoding.Latin1.GetString(names.ReadVector8()));
        return result;
    }
}
