namespace Tessera.Wire;

/// <summary>RFC 8446 §4.4.3 CertificateVerify.</summary>
internal sealed class CertificateVerify
{
    public required SignatureScheme Scheme { get; init; }
    public required byte[] Signature { get; init; }

    public static CertificateVerify Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var scheme = (SignatureScheme)r.ReadUInt16();
        var sig = r.ReadVector16().ToArray();
        r.ExpectEnd("CertificateVerify");
        if (sig.Length == 0) throw TlsException.DecodeError("CertificateVerify with empty signature");
        return new CertificateVerify { Scheme = scheme, Signature = sig };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.CertificateVerify, w =>
    {
        w.WriteUInt16((ushort)Scheme);
        w.WriteVector16(Signature);
    });
}
