namespace Tessera.Wire;

/// <summary>
/// status_request (RFC 6066 §8): a client's request for an OCSP staple, and in TLS 1.3 the staple itself in the
/// leaf's CertificateEntry (RFC 8446 §4.4.2.1).
/// </summary>
public static class StatusRequestExtension
{
    /// <summary>An OCSP request with no responder IDs and no request extensions.</summary>
    internal static void WriteOcspRequest(TlsWriter w)
    {
        w.WriteUInt8(1);
        w.WriteUInt16(0);
        w.WriteUInt16(0);
    }

    /// <summary>The OCSP request body, for tools that assemble hellos of their own.</summary>
    public static byte[] OcspRequestBody() => [1, 0, 0, 0, 0];

    /// <summary>True when the request asks for OCSP (status_type 1); other types are ignored.</summary>
    public static bool Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var type = r.ReadUInt8();
        if (type != 1) return false;
        r.ReadVector16();   // responder_id_list
        r.ReadVector16();   // request_extensions
        r.ExpectEnd("status_request");
        return true;
    }

    /// <summary>A TLS 1.3 CertificateEntry's status_request: CertificateStatus with one OCSPResponse.</summary>
    public static byte[] ReadCertificateEntry(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var type = r.ReadUInt8();
        if (type != 1) throw TlsException.Illegal($"CertificateStatus type {type} is not OCSP");
        var resp = r.ReadVector24();
        r.ExpectEnd("CertificateStatus");
        if (resp.IsEmpty) throw TlsException.DecodeError("empty OCSP response");
        return resp.ToArray();
    }

    internal static void WriteCertificateEntry(TlsWriter w, ReadOnlySpan<byte> ocspResponse)
    {
        w.WriteUInt8(1);
        w.WriteVector24(ocspResponse);
    }
}
