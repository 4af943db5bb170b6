namespace Tessera.Wire;

/// <summary>
/// A received CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8) read in place: the scheme and the signature as a
/// slice of the message, which is all a verifier needs.
/// </summary>
internal readonly ref struct CertificateVerifyView
{
    private CertificateVerifyView(SignatureScheme scheme, ReadOnlySpan<byte> signature)
    {
        Scheme = scheme;
        Signature = signature;
    }

    public SignatureScheme Scheme { get; }
    public ReadOnlySpan<byte> Signature { get; }

    public static CertificateVerifyView Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var scheme = (SignatureScheme)r.ReadUInt16();
        var signature = r.ReadVector16();
        r.ExpectEnd("CertificateVerify");
        if (signature.IsEmpty) throw TlsException.DecodeError("CertificateVerify with empty signature");
        return new CertificateVerifyView(scheme, signature);
    }
}

/// <summary>Writes a CertificateVerify: the scheme and the signature made with it.</summary>
internal static class CertificateVerify
{
    public static HandshakeMessage Encode(SignatureScheme scheme, byte[] signature) =>
        HandshakeMessage.Build(HandshakeType.CertificateVerify, w =>
        {
            w.WriteUInt16((ushort)scheme);
            w.WriteVector16(signature);
        });
}
