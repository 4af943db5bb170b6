namespace Tessera.Wire;

/// <summary>
/// RFC 8879 §3 compress_certificate: the algorithms the sender can decompress, in a ClientHello (for the server's
/// certificate) or a CertificateRequest (for the client's). <c>CertificateCompressionAlgorithm algorithms&lt;2..2^8-2&gt;</c>.
/// </summary>
internal static class CompressCertificateExtension
{
    internal static void Write(TlsWriter w, IReadOnlyList<CertificateCompressionAlgorithm> algorithms)
    {
        using (w.BeginVector(1))
            for (var i = 0; i < algorithms.Count; i++) w.WriteUInt16((ushort)algorithms[i]);
    }

    /// <summary>Every listed value, unknown ones included (the receiver ignores what it does not know).</summary>
    public static List<CertificateCompressionAlgorithm> Read(ReadOnlySpan<byte> body)
    {
        var list = new TlsReader(ReadInPlace(body));
        var algorithms = new List<CertificateCompressionAlgorithm>(list.Remaining / 2);
        while (!list.IsEmpty) algorithms.Add((CertificateCompressionAlgorithm)list.ReadUInt16());
        return algorithms;
    }

    /// <summary>The checked list as a slice of the body (2-byte code points), for readers that keep nothing.</summary>
    internal static ReadOnlySpan<byte> ReadInPlace(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector8();
        r.ExpectEnd("compress_certificate");
        if (list.Length < 2 || list.Length % 2 != 0)
            throw TlsException.DecodeError("compress_certificate must list at least one 2-byte algorithm");
        return list;
    }
}
