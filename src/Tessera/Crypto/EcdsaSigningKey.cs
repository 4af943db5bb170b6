using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

internal sealed class EcdsaSigningKey : TlsSigningKey
{
    private readonly ECDsa _key;

    public EcdsaSigningKey(ECDsa key)
    {
        _key = key;
        Schemes = key.KeySize switch
        {
            256 => [SignatureScheme.EcdsaSecp256r1Sha256],
            384 => [SignatureScheme.EcdsaSecp384r1Sha384],
            _ => throw new ArgumentException($"ECDSA keys on a {key.KeySize}-bit curve are not supported; use P-256 or P-384"),
        };
    }

    public override IReadOnlyList<SignatureScheme> Schemes { get; }

    public override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        RequireScheme(Schemes, scheme);
        return _key.SignData(data, SignatureSchemes.HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence);
    }

    public override void Dispose()
    {
        _key.Dispose();
        base.Dispose();
    }
}
