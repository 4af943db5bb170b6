using System.Text;

namespace Tessera.Wire;

/// <summary>server_name (RFC 6066 §3): one host_name entry from a client; an empty body as a server's acknowledgement.</summary>
public static class ServerNameExtension
{
    /// <summary>Writes the body: a server_name_list with one host_name.</summary>
    internal static void Write(TlsWriter w, string host)
    {
        using (w.BeginVector(2))
        {
            w.WriteUInt8(0); // host_name
            using (w.BeginVector(2)) w.WriteSingleByteText(host, Encoding.ASCII);
        }
    }

    /// <summary>The body for <paramref name="host"/> as an array, for tools that assemble hellos of their own.</summary>
    public static byte[] Body(string host) => TlsExtension.BodyOf(host, Write);

    /// <summary>Returns the host_name, or null for an empty body (the server's acknowledgement).</summary>
    public static string? Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("server_name");
        if (list.IsEmpty) throw TlsException.DecodeError("server_name list is empty");
        string? host = null;
        while (!list.IsEmpty)
        {
            var type = list.ReadUInt8();
            var name = list.ReadVector16();
            if (type != 0) continue; // unknown name types are skipped
            // RFC 6066 §3: the list MUST NOT contain more than one name of the same name_type.
            if (host != null) throw TlsException.Illegal("server_name lists two host names");
            if (name.IsEmpty) throw TlsException.DecodeError("empty host_name in server_name");
            foreach (var b in name)
                if (b < 0x21 || b > 0x7e) throw TlsException.Illegal("host_name in server_name is not printable ASCII");
            host = Encoding.ASCII.GetString(name);
            if (host.EndsWith('.')) throw TlsException.Illegal("host_name in server_name ends with a dot");
        }
        return host;
    }
}
