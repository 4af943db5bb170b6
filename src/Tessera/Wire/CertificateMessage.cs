namespace Tessera.Wire;

/// <summary>RFC 8446 §4.4.2 Certificate.</summary>
public sealed class CertificateMessage
{
    /// <summary>certificate_request_context: empty in a server's Certificate, the CertificateRequest's context in a client's.</summary>
    public byte[] Context { get; init; } = [];
    /// <summary>The chain, end-entity first, each with its extensions (status_request, signed_certificate_timestamp).</summary>
    public required List<CertificateEntry> Entries { get; init; }

    /// <summary>Decodes the message body (after the 4-byte header); a malformed or empty entry is decode_error.</summary>
    public static CertificateMessage Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var context = r.ReadVector8().ToArray();
        var list = r.ReadNested24();
        r.ExpectEnd("Certificate");
        var entries = new List<CertificateEntry>();
        while (!list.IsEmpty)
        {
            var data = list.ReadVector24();
            if (data.IsEmpty) throw TlsException.DecodeError("Certificate entry with empty cert_data");
            var ext = TlsExtension.ReadBlock(ref list, "CertificateEntry");
            entries.Add(new CertificateEntry(data.ToArray(), ext));
        }
        return new CertificateMessage { Context = context, Entries = entries };
    }

    /// <summary>The framed message.</summary>
    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.Certificate, w =>
    {
        w.WriteVector8(Context);
        using (w.BeginVector(3))
        {
            foreach (var e in Entries)
            {
                w.WriteVector24(e.CertData);
                TlsExtension.WriteBlock(w, e.Extensions);
            }
        }
    });
}
