using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Wire;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;
using Oid = Tessera.Tests.Support.CertBuilder.Oid;

namespace Tessera.Tests.Certificates;

/// <summary>
/// DNS name syntax in SANs (RFC 5280 §4.2.1.6, both profiles), wildcards above a public suffix (BR §3.2.2.6, WebPki,
/// against the embedded ICANN Public Suffix List) and the subject CN as a copy of a SAN (BR §7.1.4.3, WebPki).
/// </summary>
public sealed class NameRuleTests
{
    private static readonly X509Certificate2 RootCa = Root("Name Rule Root");
    private static readonly X509Certificate2 IntermediateCa = Intermediate("Name Rule Intermediate", RootCa);

    private static void Verify(X509Certificate2 leaf, VerificationProfile profile, string? host) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(RootCa), RevocationMode.Off, profile: profile)
            .Verify(new CertificateVerificationRequest([leaf, IntermediateCa], host, CertificatePurpose.ServerAuthentication, Now));

    private static string Refused(X509Certificate2 leaf, VerificationProfile profile, string? host = null) =>
        Assert.Throws<TlsException>(() => Verify(leaf, profile, host)).Message;

    /// <summary>A SAN written byte for byte (.NET's builder would normalise or refuse the bad names under test).</summary>
    private static X509Extension RawSan(params string[] dns)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
            foreach (var d in dns)
                w.WriteOctetString(System.Text.Encoding.ASCII.GetBytes(d), new Asn1Tag(TagClass.ContextSpecific, 2));
        return new X509Extension("2.5.29.17", w.Encode(), false);
    }

    private static X509Certificate2 LeafNamed(string cn, params string[] dns) =>
        Make(new Spec { Subject = cn.Length == 0 ? "" : $"CN={cn}", Ekus = [Oid.ServerAuth], Extra = [RawSan(dns)] }, IntermediateCa);

    [Theory]
    [InlineData("exa_mple.test", "contains an underscore")]
    [InlineData("a..b.test", "has an empty label")]
    [InlineData("example.test.", "has an empty label")]
    [InlineData(".example.test", "has an empty label")]
    [InlineData("-a.example.test", "starts or ends with a hyphen")]
    [InlineData("a-.example.test", "starts or ends with a hyphen")]
    [InlineData("www.*.example.test", "wildcard that is not the whole left-most label")]
    [InlineData("w*.example.test", "wildcard that is not the whole left-most label")]
    [InlineData("*.test", "fewer than two labels after it")]
    [InlineData("ex ample.test", "other than letters, digits and hyphens")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test", "label longer than 63")]
    public void InvalidDnsNames_AreRefused_InBothProfiles(string name, string why)
    {
        foreach (var profile in new[] { VerificationProfile.WebPki, VerificationProfile.Rfc5280 })
        {
            var message = Refused(LeafNamed(name, name), profile);
            Assert.Contains($"has the DNS name '{name[..Math.Min(name.Length, 40)]}", message, StringComparison.Ordinal);   // names are clipped at 64 characters
            Assert.Contains(why, message, StringComparison.Ordinal);
            Assert.Contains("RFC 5280 §4.2.1.6", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("example.test", "example.test")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("a-b.c1.example.test", "a-b.c1.example.test")]
    [InlineData("*.example.test", "www.example.test")]
    [InlineData("*.example.co.uk", "www.example.co.uk")]
    public void ValidDnsNames_AreAccepted(string name, string host)
    {
        Verify(LeafNamed(name, name), VerificationProfile.WebPki, host);
        Verify(LeafNamed(name, name), VerificationProfile.Rfc5280, host);
    }

    [Theory]
    [InlineData("*.co.uk", "co.uk")]
    [InlineData("*.com.cn", "com.cn")]
    [InlineData("*.foo.kawasaki.jp", "foo.kawasaki.jp")]     // a child of *.kawasaki.jp
    public void WildcardDirectlyAboveAPublicSuffix_IsRefusedByWebPki(string name, string suffix)
    {
        Assert.Contains($"has the wildcard name '{name}' directly above the public suffix '{suffix}', which BR §3.2.2.6 forbids",
            Refused(LeafNamed(name, name), VerificationProfile.WebPki), StringComparison.Ordinal);
        Verify(LeafNamed(name, name), VerificationProfile.Rfc5280, null);
    }

    [Fact]
    public void WildcardAboveAnExceptionRule_IsAccepted() =>
        Verify(LeafNamed("*.city.kawasaki.jp", "*.city.kawasaki.jp"), VerificationProfile.WebPki, "www.city.kawasaki.jp");

    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("CO.UK", true)]
    [InlineData("example.co.uk", false)]
    [InlineData("公司.cn", true)]
    [InlineData("xn--55qx5d.cn", true)]
    [InlineData("anything.kawasaki.jp", true)]
    [InlineData("city.kawasaki.jp", false)]
    [InlineData("example.com", false)]
    [InlineData("notatld", true)]                             // the implicit "*" rule
    public void PublicSuffixList_Answers(string domain, bool expected)
    {
        Assert.Equal(expected, PublicSuffixList.IsPublicSuffix(domain));
        Assert.True(PublicSuffixList.Count > 7000);
    }

    [Fact]
    public void CommonName_NotASan_IsALint_AndAcceptedAsBrowsersAccept()
    {
        // Chrome ignores the subject CN entirely and rustls-webpki does too: BR §7.1.4.3 binds the CA, so a relying
        // party reports it (IssuanceLint) and accepts the chain under both profiles.
        var other = LeafNamed("other.test", "example.test");
        Assert.Contains(IssuanceLint.Check(other), f => f.Contains("has the subject CN 'other.test', which is not one of its subjectAltNames as BR §7.1.4.3 requires", StringComparison.Ordinal));
        Verify(other, VerificationProfile.WebPki, "example.test");
        Verify(other, VerificationProfile.Rfc5280, "example.test");

        var otherCase = LeafNamed("Example.test", "example.test");
        Assert.Contains(IssuanceLint.Check(otherCase), f => f.Contains("is not one of its subjectAltNames", StringComparison.Ordinal));
        Verify(otherCase, VerificationProfile.WebPki, "example.test");

        var copy = LeafNamed("www.example.test", "example.test", "www.example.test");
        Assert.Empty(IssuanceLint.Check(copy));
        Verify(copy, VerificationProfile.WebPki, "example.test");
        Verify(Make(new Spec { Subject = "O=No CN Inc", Dns = ["example.test"], Ekus = [Oid.ServerAuth] }, IntermediateCa), VerificationProfile.WebPki, "example.test");
        var ipCn = Make(new Spec { Subject = "CN=2001:db8::1", Ips = ["2001:0db8:0:0:0:0:0:1"], Ekus = [Oid.ServerAuth] }, IntermediateCa);
        Assert.Empty(IssuanceLint.Check(ipCn));
        var twoCns = Make(new Spec { Subject = "CN=example.test, CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth] }, IntermediateCa);
        Assert.Contains(IssuanceLint.Check(twoCns), f => f.Contains("has more than one subject CN, which BR §7.1.4.3 forbids", StringComparison.Ordinal));
        Verify(twoCns, VerificationProfile.WebPki, "example.test");
    }
}
