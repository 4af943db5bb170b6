using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>RSA signs with PSS only in TLS 1.3 (RFC 8446 §4.2.3); rsae or pss schemes depending on the certificate's key OID.</summary>
internal sealed class RsaSigningKey : TlsSigningKey
{
    private readonly RSA _key;

    public RsaSigningKey(RSA key, bool pssOnlyKey)
    {
        _key = key;
        Schemes = pssOnlyKey
            ? [SignatureScheme.RsaPssPssSha256, SignatureScheme.RsaPssPssSha384, SignatureScheme.RsaPssPssSha512]
            : [SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512];
    }

    public override IReadOnlyList<SignatureScheme> Schemes { get; }

    public override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        RequireScheme(Schemes, scheme);
        return _key.SignData(data.ToArray(), SignatureSchemes.HashOf(scheme), RSASignaturePadding.Pss);
    }

    public override void Dispose()
    {
        _key.Dispose();
        base.Dispose();
    }
}
