using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Xunit;

namespace Tessera.Pki.Tests;

/// <summary>The issuer in memory: an OCSP responder it is told about goes into every leaf, and the leaf still verifies and breaks no rule.</summary>
public sealed class CertificateIssuerTests
{
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
