namespace Tessera.Wire;

/// <summary>signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3): the schemes a side accepts.</summary>
public static class SignatureAlgorithmsExtension
{
    internal static void Write(TlsWriter w, IReadOnlyList<SignatureScheme> schemes)
    {
        using (w.BeginVector(2))
            for (var i = 0; i < schemes.Count; i++) w.WriteUInt16((ushort)schemes[i]);
    }

    /// <summary>The body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] Body(IReadOnlyList<SignatureScheme> schemes) => TlsExtension.BodyOf(schemes, Write);

    /// <summary>The schemes of an extension body (a list with its 2-byte length).</summary>
    public static List<SignatureScheme> Read(ReadOnlySpan<byte> body) => ReadList(ReadInPlace(body));

    /// <summary>The checked list as a slice of the body (2-byte code points), for readers that keep nothing.</summary>
    internal static ReadOnlySpan<byte> ReadInPlace(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector16();
        r.ExpectEnd("signature_algorithms");
        if (list.IsEmpty || list.Length % 2 != 0) throw TlsException.DecodeError("a signature scheme list must be a non-empty list of 2-byte values");
        return list;
    }

    /// <summary>The body of a signature_algorithms list without its own length prefix (TLS 1.2 CertificateRequest).</summary>
    public static List<SignatureScheme> ReadList(ReadOnlySpan<byte> list)
    {
        if (list.IsEmpty || list.Length % 2 != 0) throw TlsException.DecodeError("a signature scheme list must be a non-empty list of 2-byte values");
        var r = new TlsReader(list);
        var result = new List<SignatureScheme>(list.Length / 2);
        while (!r.IsEmpty) result.Add((SignatureScheme)r.ReadUInt16());
        return result;
    }
}
