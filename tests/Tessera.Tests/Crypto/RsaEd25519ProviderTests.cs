using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// RSA (PKCS#1 v1.5 and PSS, each hash) and Ed25519 signing and checking under every provider: RFC 8032's first test
/// vector; what one provider signs the other (and .NET itself, for RSA) accepts; a signature over other data, a
/// flipped bit, a truncated or empty signature and a key of another type are all "does not verify" (false, never an
/// exception); a disposed key does not sign.
/// </summary>
public sealed class RsaEd25519ProviderTests
{
    private static readonly RSA Rsa = RSA.Create(2048);

    public static TheoryData<string, SignatureScheme> ProvidersAndRsaSchemes() =>
        ProviderNames.With(
            SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512,
            SignatureScheme.RsaPkcs1Sha256, SignatureScheme.RsaPkcs1Sha384, SignatureScheme.RsaPkcs1Sha512);

    public static TheoryData<string> Providers() => new(ProviderNames.All);

    private static CryptoProvider Other(string provider) => ProviderNames.Other(provider);

    private static VerificationKey Import(byte[] spki) => VerificationKey.Import(spki, Sha256Key.Of(spki));

    [Theory]
    [MemberData(nameof(ProvidersAndRsaSchemes))]
    public void Rsa_Signatures_Cross_Providers_And_Bad_Ones_Are_False(string provider, SignatureScheme scheme)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var other = Other(provider);
        using var signer = TlsSigningKey.FromRsa(RSA.Create(Rsa.ExportParameters(true)));
        using var verifier = Import(Rsa.ExportSubjectPublicKeyInfo());
        byte[] data = [.. "TLS 1.3, server CertificateVerify"u8, 0, 1, 2, 3];
        var hash = SignatureSchemes.HashOf(scheme);
        var padding = SignatureSchemes.IsPss(scheme) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

        var signature = crypto.Sign(signer, scheme, data);
        Assert.Equal(256, signature.Length);
        Assert.True(Rsa.VerifyData(data, signature, hash, padding));
        Assert.True(crypto.VerifyRsa(verifier, data, signature, scheme));
        Assert.True(other.VerifyRsa(verifier, data, signature, scheme));
        Assert.True(crypto.VerifyRsa(verifier, data, other.Sign(signer, scheme, data), scheme));

        Assert.False(crypto.VerifyRsa(verifier, [.. data, 4], signature, scheme));
        var flipped = (byte[])signature.Clone();
        flipped[100] ^= 0x10;
        Assert.False(crypto.VerifyRsa(verifier, data, flipped, scheme));
        Assert.False(crypto.VerifyRsa(verifier, data, signature[..255], scheme));
        Assert.False(crypto.VerifyRsa(verifier, data, [], scheme));
        Assert.False(crypto.VerifyRsa(verifier, data, [.. signature, 0], scheme));
        // The same bytes under the other padding do not verify.
        var otherPadding = SignatureSchemes.IsPss(scheme)
            ? (scheme == SignatureScheme.RsaPssRsaeSha256 ? SignatureScheme.RsaPkcs1Sha256 : scheme == SignatureScheme.RsaPssRsaeSha384 ? SignatureScheme.RsaPkcs1Sha384 : SignatureScheme.RsaPkcs1Sha512)
            : (scheme == SignatureScheme.RsaPkcs1Sha256 ? SignatureScheme.RsaPssRsaeSha256 : scheme == SignatureScheme.RsaPkcs1Sha384 ? SignatureScheme.RsaPssRsaeSha384 : SignatureScheme.RsaPssRsaeSha512);
        Assert.False(crypto.VerifyRsa(verifier, data, signature, otherPadding));

        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var notRsa = Import(ecdsa.ExportSubjectPublicKeyInfo());
        Assert.False(crypto.VerifyRsa(notRsa, data, signature, scheme));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Ed25519_Gives_The_Rfc8032_Answer_And_Bad_Signatures_Are_False(string provider)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var other = Other(provider);
        using var signer = TlsSigningKey.FromEd25519Seed(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        using var verifier = Import([.. Convert.FromHexString("302a300506032b6570032100"),
            .. Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]);

        // RFC 8032 §7.1, TEST 1 (the empty message).
        var signature = crypto.Sign(signer, SignatureScheme.Ed25519, []);
        Assert.Equal("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(signature));
        Assert.True(crypto.VerifyEd25519(verifier, [], signature));
        Assert.True(other.VerifyEd25519(verifier, [], signature));

        byte[] data = [.. "TLS 1.3, client CertificateVerify"u8];
        var over = crypto.Sign(signer, SignatureScheme.Ed25519, data);
        Assert.Equal(over, other.Sign(signer, SignatureScheme.Ed25519, data));   // deterministic (RFC 8032)
        Assert.True(crypto.VerifyEd25519(verifier, data, over));
        Assert.False(crypto.VerifyEd25519(verifier, [.. data, 0], over));
        var flipped = (byte[])over.Clone();
        flipped[40] ^= 0x01;
        Assert.False(crypto.VerifyEd25519(verifier, data, flipped));
        Assert.False(crypto.VerifyEd25519(verifier, data, over[..63]));
        Assert.False(crypto.VerifyEd25519(verifier, data, [.. over, 0]));
        Assert.False(crypto.VerifyEd25519(verifier, data, []));

        using var notEd = Import(Rsa.ExportSubjectPublicKeyInfo());
        Assert.False(crypto.VerifyEd25519(notEd, data, over));
        Assert.Throws<TlsException>(() => crypto.Sign(signer, SignatureScheme.EcdsaSecp256r1Sha256, data));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Disposed_Keys_Do_Not_Sign(string provider)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var rsa = TlsSigningKey.FromRsa(RSA.Create(Rsa.ExportParameters(true)));
        var ed25519 = TlsSigningKey.FromEd25519Seed(new byte[32]);
        crypto.Sign(rsa, SignatureScheme.RsaPssRsaeSha256, [1]);       // imported by the native provider now
        crypto.Sign(ed25519, SignatureScheme.Ed25519, [1]);
        rsa.Dispose();
        ed25519.Dispose();
        Assert.Throws<ObjectDisposedException>(() => crypto.Sign(rsa, SignatureScheme.RsaPssRsaeSha256, [1]));
        Assert.Throws<ObjectDisposedException>(() => crypto.Sign(ed25519, SignatureScheme.Ed25519, [1]));
    }
}
