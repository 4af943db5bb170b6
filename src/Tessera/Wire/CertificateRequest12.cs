namespace Tessera.Wire;

/// <summary>RFC 5246 §7.4.4 CertificateRequest: certificate types, signature schemes and acceptable CA names.</summary>
internal sealed class CertificateRequest12
{
    /// <summary>ClientCertificateType: rsa_sign(1), ecdsa_sign(64).</summary>
    public static readonly byte[] DefaultCertificateTypes = [1, 64];

    public byte[] CertificateTypes { get; init; } = DefaultCertificateTypes;
    public required IReadOnlyList<SignatureScheme> SignatureSchemes { get; init; }
    public IReadOnlyList<byte[]> CertificateAuthorities { get; init; } = [];

    public static CertificateRequest12 Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var types = r.ReadVector8();
        if (types.IsEmpty) throw TlsException.DecodeError("CertificateRequest has no certificate types");
        var schemesBody = r.ReadVector16();
        var schemes = SignatureAlgorithmsExtension.ReadList(schemesBody);
        var cas = r.ReadNested16();
        r.ExpectEnd("CertificateRequest");
        var names = new List<byte[]>();
        while (!cas.IsEmpty)
        {
            var name = cas.ReadVector16();
            if (name.IsEmpty) throw TlsException.DecodeError("CertificateRequest has an empty CA name");
            names.Add(name.ToArray());
        }
        return new CertificateRequest12 { CertificateTypes = types.ToArray(), SignatureSchemes = schemes, CertificateAuthorities = names };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.CertificateRequest, w =>
    {
        w.WriteVector8(CertificateTypes);
        using (w.BeginVector(2))
            foreach (var s in SignatureSchemes) w.WriteUInt16((ushort)s);
        using (w.BeginVector(2))
            foreach (var ca in CertificateAuthorities) w.WriteVector16(ca);
    });
}
