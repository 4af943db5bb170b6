using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>Imported verification keys are reused, lent to one caller at a time, and still judge every signature.</summary>
public sealed class VerificationKeyCacheTests
{
    [Fact]
    public void Returned_Key_Is_Lent_Again()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ec.ExportSubjectPublicKeyInfo();
        var first = VerificationKeyCache.Rent(spki);
        VerificationKeyCache.Return(first);
        var second = VerificationKeyCache.Rent(spki);
        Assert.Same(first, second);
        // While one caller holds it, another gets its own instance.
        var third = VerificationKeyCache.Rent(spki);
        Assert.NotSame(second, third);
        VerificationKeyCache.Return(second);
        VerificationKeyCache.Return(third);
        Assert.Equal("ECDSA P-256", second.Description);
    }

    [Fact]
    public void Concurrent_Verifications_With_One_Key_All_Agree()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ec.ExportSubjectPublicKeyInfo();
        var data = RandomNumberGenerator.GetBytes(64);
        var good = ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var bad = (byte[])good.Clone();
        bad[^1] ^= 1;
        var results = new bool[400];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var ok = SignatureVerifier.Verify(SignatureScheme.EcdsaSecp256r1Sha256, spki, "test", data, i % 2 == 0 ? good : bad, ProtocolVersion.Tls13);
            results[i] = ok == (i % 2 == 0);
        });
        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Scheme_That_Does_Not_Fit_The_Cached_Key_Is_Illegal_Parameter()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var spki = ec.ExportSubjectPublicKeyInfo();
        var data = new byte[] { 1, 2, 3 };
        var signature = ec.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(SignatureVerifier.Verify(SignatureScheme.EcdsaSecp384r1Sha384, spki, "p384", data, signature, ProtocolVersion.Tls13));
        // RFC 8446 §4.2.3: in TLS 1.3 the scheme fixes the curve.
        var e = Assert.Throws<TlsException>(() => SignatureVerifier.Verify(SignatureScheme.EcdsaSecp256r1Sha256, spki, "p384", data, signature, ProtocolVersion.Tls13));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("ECDSA P-384", e.Message);
        var rsa = Assert.Throws<TlsException>(() => SignatureVerifier.Verify(SignatureScheme.RsaPssRsaeSha256, spki, "p384", data, signature, ProtocolVersion.Tls13));
        Assert.Equal(AlertDescription.IllegalParameter, rsa.Alert);
    }

    [Fact]
    public void Malformed_Key_Is_Bad_Certificate()
    {
        var e = Assert.Throws<TlsException>(() => VerificationKeyCache.Rent([0x30, 0x02, 0x05, 0x00]));
        Assert.Equal(AlertDescription.BadCertificate, e.Alert);
    }

    [Fact]
    public void Tls13_Scheme_Binds_The_Curve_Not_Only_Its_Size()
    {
        // secp256k1 is a 256-bit curve too; ecdsa_secp256r1_sha256 must still refuse it (RFC 8446 §4.2.3).
        using var k1 = ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1"));
        var spki = k1.ExportSubjectPublicKeyInfo();
        var data = new byte[] { 7, 8, 9 };
        var signature = k1.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var e = Assert.Throws<TlsException>(() => SignatureVerifier.Verify(SignatureScheme.EcdsaSecp256r1Sha256, spki, "k1", data, signature, ProtocolVersion.Tls13));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.DoesNotContain("P-256", e.Message);

        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var good = p256.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(SignatureVerifier.Verify(SignatureScheme.EcdsaSecp256r1Sha256, p256.ExportSubjectPublicKeyInfo(), "p256", data, good, ProtocolVersion.Tls13));
    }
}
