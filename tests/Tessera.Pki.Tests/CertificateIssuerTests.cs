using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Xunit;

namespace Tessera.Pki.Tests;

/// <summary>
/// The issuer in memory: an OCSP responder it is told about goes into every leaf, and the leaf still verifies and
/// breaks no rule; with a fixed clock, randomness and Ed25519 keys it issues the same bytes every time.
/// </summary>
public sealed class CertificateIssuerTests
{
    private static readonly DateTimeOffset Fixed = new(2031, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void A_Fixed_Clock_Randomness_And_Ed25519_Keys_Give_The_Same_Certificates_Twice()
    {
        var (root1, leaf1) = IssueFixed();
        var (root2, leaf2) = IssueFixed();
        Assert.Equal(root1, root2);
        Assert.Equal(leaf1, leaf2);

        using var leaf = X509CertificateLoader.LoadCertificate(leaf1);
        Assert.Equal(Fixed.AddMinutes(-5).UtcDateTime, leaf.NotBefore.ToUniversalTime());
        Assert.Equal("11121314151617", leaf.SerialNumber[..14]);   // the counter after the root's 16 bytes
        using var parsed = X509CertificateLoader.LoadCertificate(root1);
        // Verify throws when the chain does not hold (Ed25519: the RFC 5280 profile; the WebPki one has no Ed25519).
        new TesseraCertificateVerifier(TrustStore.FromCertificates(parsed), RevocationMode.Off, profile: VerificationProfile.Rfc5280)
            .Verify(new CertificateVerificationRequest([leaf], "fixed.test", CertificatePurpose.ServerAuthentication, Fixed));
        Assert.Empty(IssuanceLint.Check(leaf));
    }

    [Fact]
    public void An_Ed25519_Seed_Must_Be_32_Bytes()
    {
        Assert.Throws<ArgumentException>(() => CaKey.FromEd25519Seed(new byte[31]));
    }

    private static (byte[] Root, byte[] Leaf) IssueFixed()
    {
        using var ca = CertificateIssuer.CreateRoot("Fixed Root", CaKey.FromEd25519Seed(new byte[32]), Fixed.AddDays(30), pathLength: null,
            new FixedClock(), new CountingRandom());
        var key = CaKey.FromEd25519Seed(Enumerable.Repeat((byte)7, 32).ToArray());
        using var leaf = new IssuedCertificate(ca.SignLeaf(key.Request("CN=fixed.test"), ["fixed.test"], client: false, Fixed.AddDays(10)), key);
        return (ca.Certificate.RawData, leaf.Certificate.RawData);
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Fixed;
    }

    private sealed class CountingRandom : System.Security.Cryptography.RandomNumberGenerator
    {
        private byte _next = 1;

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            for (var i = 0; i < data.Length; i++) data[i] = _next++;
        }
    }

    [Fact]
    public void An_Ocsp_Responder_Goes_Into_The_Authority_Information_Access_Of_Leaves_Only()
    {
        using var root = CertificateIssuer.CreateRoot("Issuer Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));
        using var before = root.Issue(["before.test"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        root.OcspResponder = new Uri("http://127.0.0.1:8888/ocsp");
        using var leaf = root.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);

        Assert.DoesNotContain(before.Certificate.Extensions, e => e is X509AuthorityInformationAccessExtension);
        Assert.DoesNotContain(root.Certificate.Extensions, e => e is X509AuthorityInformationAccessExtension);
        var aia = Assert.Single(leaf.Certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>());
        Assert.False(aia.Critical);
        Assert.Equal(["http://127.0.0.1:8888/ocsp"], aia.EnumerateOcspUris());
        new TesseraCertificateVerifier(TrustStore.FromCertificates(root.Certificate), RevocationMode.Off)
            .Verify(new CertificateVerificationRequest([leaf.Certificate], "localhost", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
        Assert.Empty(IssuanceLint.Check(leaf.Certificate));
    }
}
