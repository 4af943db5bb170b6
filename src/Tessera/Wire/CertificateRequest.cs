namespace Tessera.Wire;

/// <summary>RFC 8446 §4.3.2 CertificateRequest.</summary>
internal sealed class CertificateRequest
{
    public byte[] Context { get; init; } = [];
    public required List<TlsExtension> Extensions { get; init; }

    public static CertificateRequest Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var context = r.ReadVector8().ToArray();
        if (r.Remaining < 2) throw TlsException.DecodeError("CertificateRequest without extensions");
        var ext = TlsExtension.ReadBlock(ref r, "CertificateRequest");
        r.ExpectEnd("CertificateRequest");
        return new CertificateRequest { Context = context, Extensions = ext };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.CertificateRequest, w =>
    {
        w.WriteVector8(Context);
        TlsExtension.WriteBlock(w, Extensions);
    });
}
