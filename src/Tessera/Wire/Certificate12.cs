namespace Tessera.Wire;

/// <summary>
/// RFC 5246 §7.4.2 Certificate: a bare list of DER certificates (no context, no per-entry extensions).
/// Decoded into the TLS 1.3 shape so chain handling is shared.
/// </summary>
public static class Certificate12
{
    /// <summary>Decodes the message body (after the 4-byte header); a malformed or empty entry is decode_error.</summary>
    public static CertificateMessage Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested24();
        r.ExpectEnd("Certificate");
        var entries = new List<CertificateEntry>();
        while (!list.IsEmpty)
        {
            var data = list.ReadVector24();
            if (data.IsEmpty) throw TlsException.DecodeError("Certificate entry with empty cert_data");
            entries.Add(new CertificateEntry(data.ToArray(), []));
        }
        return new CertificateMessage { Entries = entries };
    }

    internal static HandshakeMessage Encode(IEnumerable<byte[]> certificates) => HandshakeMessage.Build(HandshakeType.Certificate, w =>
    {
        using (w.BeginVector(3))
            foreach (var c in certificates) w.WriteVector24(c);
    });
}
