namespace Tessera.Wire;

/// <summary>certificate_authorities (RFC 8446 §4.2.4): the distinguished names of the CAs a side accepts.</summary>
public static class CertificateAuthoritiesExtension
{
    internal static void Write(TlsWriter w, IReadOnlyList<byte[]> distinguishedNames)
    {
        using (w.BeginVector(2))
            for (var i = 0; i < distinguishedNames.Count; i++) w.WriteVector16(distinguishedNames[i]);
    }

    /// <summary>The names (DER); an empty list or an empty name is decode_error.</summary>
    public static List<byte[]> Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("certificate_authorities");
        var result = new List<byte[]>();
        while (!list.IsEmpty)
        {
            var dn = list.ReadVector16();
            if (dn.IsEmpty) throw TlsException.DecodeError("empty distinguished name in certificate_authorities");
            result.Add(dn.ToArray());
        }
        if (result.Count == 0) throw TlsException.DecodeError("certificate_authorities is empty");
        return result;
    }
}
