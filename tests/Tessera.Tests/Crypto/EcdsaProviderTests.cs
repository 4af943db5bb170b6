using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// ECDSA signing and verification under every provider: what one provider signs the other (and .NET itself) accepts,
/// on P-256 and P-384; a signature over other data, a flipped bit, a signature by another key, malformed or truncated
/// DER, and trailing bytes are all "does not verify" (false, never an exception); the scheme must fit the key; a
/// disposed key does not sign.
/// </summary>
public sealed class EcdsaProviderTests
{
    public static TheoryData<string, SignatureScheme> ProvidersAndSchemes() =>
        ProviderNames.With(SignatureScheme.EcdsaSecp256r1Sha256, SignatureScheme.EcdsaSecp384r1Sha384);

    private static ECCurve CurveOf(SignatureScheme scheme) =>
        scheme == SignatureScheme.EcdsaSecp256r1Sha256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384;

    private static VerificationKey Public(ECDsa key)
    {
        var spki = key.ExportSubjectPublicKeyInfo();
        return VerificationKey.Import(spki, Sha256Key.Of(spki));
    }

    [Theory]
    [MemberData(nameof(ProvidersAndSchemes))]
    public void Signatures_Cross_Providers_And_Bad_Ones_Are_False(string provider, SignatureScheme scheme)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var other = ProviderNames.Other(provider);
        var hash = SignatureSchemes.HashOf(scheme);
        using var ecdsa = ECDsa.Create(CurveOf(scheme));
        using var signer = TlsSigningKey.FromEcdsa(ECDsa.Create(ecdsa.ExportParameters(true)));
        using var verifier = Public(ecdsa);
        byte[] data = [.. "TLS 1.3, server CertificateVerify"u8, 0, 1, 2, 3];

        var signature = crypto.Sign(signer, scheme, data);
        Assert.True(ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence));
        Assert.True(crypto.VerifyEcdsa(verifier, data, signature, hash));
        Assert.True(other.VerifyEcdsa(verifier, data, signature, hash));
        var theirs = other.Sign(signer, scheme, data);
        Assert.True(crypto.VerifyEcdsa(verifier, data, theirs, hash));

        using var stranger = ECDsa.Create(CurveOf(scheme));
        var flipped = signature.ToArray();
        flipped[^1] ^= 1;
        byte[][] bad =
        [
            flipped,
            stranger.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence),
            signature[..^1],
            [.. signature, 0],
            [0x30, 0x00],
            [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00],   // r = s = 0
            [],
            ecdsa.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),   // not DER
        ];
        foreach (var b in bad) Assert.False(crypto.VerifyEcdsa(verifier, data, b, hash));
        Assert.False(crypto.VerifyEcdsa(verifier, [.. data, 4], signature, hash));
    }

    [Theory]
    [MemberData(nameof(X25519ProviderTests.Providers), MemberType = typeof(X25519ProviderTests))]
    public void The_Scheme_Must_Fit_And_A_Disposed_Key_Does_Not_Sign(string provider)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var signer = TlsSigningKey.FromEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        Assert.Equal(AlertDescription.InternalError,
            Assert.Throws<TlsException>(() => crypto.Sign(signer, SignatureScheme.EcdsaSecp384r1Sha384, [1, 2, 3])).Alert);
        Assert.NotEmpty(crypto.Sign(signer, SignatureScheme.EcdsaSecp256r1Sha256, [1, 2, 3]));
        signer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => crypto.Sign(signer, SignatureScheme.EcdsaSecp256r1Sha256, [1, 2, 3]));
    }
}
