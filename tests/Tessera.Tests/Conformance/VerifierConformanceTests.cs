using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;
using Oid = Tessera.Tests.Support.CertBuilder.Oid;

namespace Tessera.Tests.Conformance;

/// <summary>
/// What an outside certificate-path suite found: chains browsers accept that WebPki refused, chains every verifier must
/// refuse that Tessera accepted, path length counted as RFC 5280 counts it, and a certificate trusted directly.
/// </summary>
public sealed class VerifierConformanceTests
{
    private static void Verify(X509Certificate2[] chain, VerificationProfile profile, X509Certificate2[] roots, string? host = "example.test", int maxPathLength = 8) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(roots), RevocationMode.Off, profile: profile, maxPathLength: maxPathLength)
            .Verify(new CertificateVerificationRequest(chain, host, CertificatePurpose.ServerAuthentication, Now));

    private static string Refused(X509Certificate2[] chain, VerificationProfile profile, X509Certificate2[] roots, string? host = "example.test", int maxPathLength = 8) =>
        Assert.Throws<TlsException>(() => Verify(chain, profile, roots, host, maxPathLength)).Message;

    [Fact]
    public void A_Root_With_NonCritical_NameConstraints_Is_Accepted_Under_WebPki_And_Its_Constraints_Apply()
    {
        var nc = NameConstraints(permittedDns: ["example.test"]);
        var root = Root("Soft NC Root", extra: [new X509Extension(nc.Oid!, nc.RawData, critical: false)]);
        Verify([Leaf(root)], VerificationProfile.WebPki, [root]);
        Assert.Contains("violates the name constraints of 'CN=Soft NC Root'",
            Refused([Leaf(root, dns: ["other.test"])], VerificationProfile.WebPki, [root], host: "other.test"), StringComparison.Ordinal);
        Assert.Contains(IssuanceLint.Check(root), f => f.Contains("does not mark nameConstraints critical", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void A_Cross_Signed_Root_Trusted_Directly_Needs_An_Authority_Key_Identifier(VerificationProfile profile)
    {
        // RFC 5280 §4.2.1.1 excuses only self-signed certificates; a root cross-signed by another is not one, even when
        // the caller trusts that cross-signed form directly.
        var signer = Root("Cross Signer");
        var bare = Make(new Spec { Subject = "CN=Cross Signed Root", IsCa = true, PathLength = 0, KeyUsage = X509KeyUsageFlags.KeyCertSign, NoAuthorityKeyId = true }, signer);
        Assert.Contains("root 'CN=Cross Signed Root' has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires of certificates that are not self-signed",
            Refused([Leaf(bare)], profile, [bare]), StringComparison.Ordinal);
        var withAki = Make(new Spec { Subject = "CN=Cross Signed Root", IsCa = true, PathLength = 0, KeyUsage = X509KeyUsageFlags.KeyCertSign }, signer);
        Verify([Leaf(withAki)], profile, [withAki]);
        // A self-signed root may still leave it out.
        var selfSigned = Root("Self Signed Root");
        Assert.Null(selfSigned.Extensions["2.5.29.35"]);
        Verify([Leaf(selfSigned)], profile, [selfSigned]);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void Self_Issued_Intermediates_Do_Not_Count_Against_The_Path_Length(VerificationProfile profile)
    {
        // A re-keyed CA: the same name, a new key, issued by the old one (self-issued). leaf → new CA → old CA → root is
        // four certificates, three counted (RFC 5280 §4.2.1.9), so a limit of 3 holds it.
        var root = Root("Rekey Root");
        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var oldCa = Intermediate("Rekeyed CA", root, key: oldKey);
        var newCa = Intermediate("Rekeyed CA", oldCa);
        Verify([Leaf(newCa), newCa, oldCa], profile, [root], maxPathLength: 3);
        Assert.Contains("is longer than 2 certificates", Refused([Leaf(newCa), newCa, oldCa], profile, [root], maxPathLength: 2), StringComparison.Ordinal);

        // Self-issued certificates are still bounded: a hard cap of twice the limit (at least 16) holds any path.
        var chain = new List<X509Certificate2>();
        var issuer = Intermediate("Endless CA", root);
        chain.Add(issuer);
        for (var i = 0; i < 17; i++)
        {
            issuer = Intermediate("Endless CA", issuer);
            chain.Insert(0, issuer);
        }
        Assert.Contains("holds more than 16 certificates", Refused([Leaf(issuer), .. chain], profile, [root]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void A_Self_Signed_Ca_Certificate_The_Caller_Trusts_Is_Accepted_As_The_Servers_Certificate(VerificationProfile profile)
    {
        // What `openssl req -x509` makes: self-signed, basicConstraints cA set, the server's name in the SAN.
        var self = Make(new Spec { Subject = "CN=example.test", IsCa = true, Dns = ["example.test"], KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature }, null);
        Verify([self], profile, [self]);
        Assert.Contains("name 'other.test' is not covered", Refused([self], profile, [self], host: "other.test"), StringComparison.Ordinal);
        // Trusting it directly is what makes it acceptable: under another root it is still a CA used as a leaf (WebPki).
        var root = Root("Leaf CA Root");
        var issued = Make(new Spec { Subject = "CN=example.test", IsCa = true, Dns = ["example.test"], Ekus = [Oid.ServerAuth], KeyUsage = X509KeyUsageFlags.DigitalSignature }, root);
        if (profile == VerificationProfile.WebPki)
            Assert.Contains("is a CA certificate (basicConstraints cA is set) used as an end-entity certificate", Refused([issued], profile, [root]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_WebPki_Refusal_That_Rfc5280_Would_Accept_Names_The_Option()
    {
        var root = Root("Private Root");
        var caLeaf = Make(new Spec { Subject = "CN=example.test", IsCa = true, Dns = ["example.test"], Ekus = [Oid.ServerAuth], KeyUsage = X509KeyUsageFlags.DigitalSignature }, root);
        var message = Refused([caLeaf], VerificationProfile.WebPki, [root]);
        Assert.Contains("used as an end-entity certificate", message, StringComparison.Ordinal);
        Assert.Contains("the chain would pass under the RFC 5280 profile", message, StringComparison.Ordinal);
        Assert.Contains("--profile rfc5280", message, StringComparison.Ordinal);
        Assert.Contains("CertificateProfile = VerificationProfile.Rfc5280", message, StringComparison.Ordinal);
        Verify([caLeaf], VerificationProfile.Rfc5280, [root]);
        // A chain both profiles refuse gets no such advice.
        var expired = Leaf(root, notBefore: Now.AddDays(-20), notAfter: Now.AddDays(-1));
        Assert.DoesNotContain("RFC 5280 profile", Refused([expired], VerificationProfile.WebPki, [root]), StringComparison.Ordinal);
    }
}
