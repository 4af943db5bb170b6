#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>RFC 8446 §4.4.2 Certificate.</summary>
public sealed class CertificateMessage
{
    public byte[] Context { get; init; } = [];
    public required List<CertificateEntry> Entries { get; init; }

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
