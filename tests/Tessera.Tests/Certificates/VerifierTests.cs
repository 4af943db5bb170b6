using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;

namespace Tessera.Tests.Certificates;

/// <summary>One test per RFC 5280 / RFC 9525 rule of <see cref="TesseraCertificateVerifier"/>, positive and negative, on PKIs generated here.</summary>
public sealed class VerifierTests
{
    private static readonly X509Certificate2 RootCa = Root("Verifier Root");
    private static readonly X509Certificate2 IntermediateCa = Intermediate("Verifier Intermediate", RootCa);

    private static void Verify(X509Certificate2[] chain, X509Certificate2[]? roots = null, string? host = "example.test",
        CertificatePurpose purpose = CertificatePurpose.ServerAuthentication, DateTimeOffset? at = null) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(roots ?? [RootCa]))
            .Verify(new CertificateVerificationRequest(chain, host, purpose, at ?? Now));

    private static TlsException Refused(X509Certificate2[] chain, X509Certificate2[]? roots = null, string? host = "example.test",
        CertificatePurpose purpose = CertificatePurpose.ServerAuthentication, DateTimeOffset? at = null) =>
        Assert.Throws<TlsException>(() => Verify(chain, roots, host, purpose, at));

    [Fact]
    public void ValidChain_IsAccepted() => Verify([Leaf(IntermediateCa), IntermediateCa]);

    [Fact]
    public void LeafDirectlyUnderRoot_IsAccepted() => Verify([Leaf(RootCa)]);

    [Fact]
    public void ChainIncludingTheRoot_IsAccepted() => Verify([Leaf(IntermediateCa), IntermediateCa, RootCa]);

    [Fact]
    public void ExpiredLeaf_IsRefused_WithDateAndAge()
    {
        var e = Refused([Leaf(IntermediateCa, notBefore: Now.AddDays(-30), notAfter: Now.AddDays(-3)), IntermediateCa]);
        Assert.Equal(AlertDescription.CertificateExpired, e.Alert);
        Assert.Matches(@"certificate for example\.test expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, 3 days ago", e.Message);
    }

    [Fact]
    public void NotYetValidLeaf_IsRefused() =>
        Assert.Equal(AlertDescription.CertificateExpired, Refused([Leaf(IntermediateCa, notBefore: Now.AddDays(2)), IntermediateCa]).Alert);

    [Fact]
    public void ExpiredIntermediate_IsRefused()
    {
        var expired = Intermediate("Expired Intermediate", RootCa, notAfter: Now.AddDays(-1));
        var e = Refused([Leaf(expired), expired]);
        Assert.Equal(AlertDescription.CertificateExpired, e.Alert);
        Assert.Contains("intermediate 'CN=Expired Intermediate' expired", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UntrustedRoot_IsUnknownCa()
    {
        var other = Root("Other Root");
        var e = Refused([Leaf(other)]);
        Assert.Equal(AlertDescription.UnknownCa, e.Alert);
    }

    [Fact]
    public void MissingIntermediate_IsUnknownCa_AndSaysSo()
    {
        var e = Refused([Leaf(IntermediateCa)]);
        Assert.Equal(AlertDescription.UnknownCa, e.Alert);
        Assert.Contains("missing intermediate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntermediateThatIsNotACa_IsRefused()
    {
        var notCa = Make(new Spec { Subject = "CN=Not A CA", IsCa = false, PathLength = null, KeyUsage = X509KeyUsageFlags.DigitalSignature, Extra = [new X509BasicConstraintsExtension(false, false, 0, true)] }, RootCa);
        var e = Refused([Leaf(notCa), notCa]);
        Assert.Contains("intermediate 'CN=Not A CA' is not a CA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntermediateWithoutKeyCertSign_IsRefused()
    {
        var noSign = Make(new Spec { Subject = "CN=No KeyCertSign", IsCa = true, KeyUsage = X509KeyUsageFlags.DigitalSignature }, RootCa);
        Assert.Contains("keyCertSign", Refused([Leaf(noSign), noSign]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathLengthConstraint_IsEnforced()
    {
        var root = Root("PathLen Root", pathLength: 0);
        var intermediate = Intermediate("Below PathLen 0", root);
        var e = Refused([Leaf(intermediate), intermediate], [root]);
        Assert.Contains("pathLenConstraint", e.Message, StringComparison.Ordinal);

        var root1 = Root("PathLen1 Root", pathLength: 1);
        var ok = Intermediate("Below PathLen 1", root1);
        Verify([Leaf(ok), ok], [root1]);
    }

    [Fact]
    public void LeafWithOnlyClientAuth_IsRefusedForServers_AndAcceptedForClients()
    {
        var leaf = Leaf(IntermediateCa, ekus: [CertBuilder.Oid.ClientAuth]);
        var e = Refused([leaf, IntermediateCa]);
        Assert.Equal(AlertDescription.UnsupportedCertificate, e.Alert);
        Assert.Contains("not valid for server authentication", e.Message, StringComparison.Ordinal);
        Verify([leaf, IntermediateCa], host: null, purpose: CertificatePurpose.ClientAuthentication);
    }

    [Fact]
    public void AnyExtendedKeyUsage_SatisfiesACa_ButNotALeaf()
    {
        // anyExtendedKeyUsage alone does not name serverAuth in a leaf under WebPki; ProfileRuleTests pins what the RFC 5280 profile does.
        Assert.Contains("is not valid for server authentication", Refused([Leaf(IntermediateCa, ekus: [CertBuilder.Oid.AnyEku]), IntermediateCa]).Message, StringComparison.Ordinal);
        var anyCa = Intermediate("Any EKU CA", RootCa, ekus: [CertBuilder.Oid.AnyEku]);
        Verify([Leaf(anyCa), anyCa]);
    }

    [Fact]
    public void LeafWithoutEku_IsAccepted_ForClientAuthentication()
    {
        // The default profile for client certificates is RFC 5280, which does not require an EKU (BR does, for servers).
        var noEku = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = null }, IntermediateCa);
        Verify([noEku, IntermediateCa], host: null, purpose: CertificatePurpose.ClientAuthentication);
    }

    [Fact]
    public void IntermediateEku_ConstrainsTheLeaf()
    {
        var codeOnly = Intermediate("Code Signing CA", RootCa, ekus: [CertBuilder.Oid.CodeSigning]);
        var e = Refused([Leaf(codeOnly), codeOnly]);
        Assert.Contains("intermediate 'CN=Code Signing CA' is not valid for server authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DnsNameConstraints_PermitAndExclude()
    {
        var constrained = Intermediate("DNS Constrained", RootCa, extra: [NameConstraints(permittedDns: ["example.test"], excludedDns: ["bad.example.test"])]);
        Verify([Leaf(constrained, dns: ["www.example.test"]), constrained], host: "www.example.test");
        var outside = Refused([Leaf(constrained, dns: ["evil.test"]), constrained], host: "evil.test");
        Assert.Contains("DNS name 'evil.test' is outside the permitted subtrees", outside.Message, StringComparison.Ordinal);
        var excluded = Refused([Leaf(constrained, dns: ["x.bad.example.test"]), constrained], host: "x.bad.example.test");
        Assert.Contains("excluded", excluded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IpNameConstraints_PermitAndRefuse()
    {
        var constrained = Intermediate("IP Constrained", RootCa, extra: [NameConstraints(permittedIps: ["10.0.0.0/8"])]);
        Verify([Leaf(constrained, dns: [], ips: ["10.1.2.3"]), constrained], host: "10.1.2.3");
        var e = Refused([Leaf(constrained, dns: [], ips: ["192.168.1.1"]), constrained], host: "192.168.1.1");
        Assert.Contains("IP address 192.168.1.1 is outside the permitted subtrees", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryNameConstraints_ApplyToTheSubject()
    {
        var constrained = Intermediate("DN Constrained", RootCa, extra: [NameConstraints(permittedDirectory: "O=Good")]);
        Verify([Leaf(constrained, subject: "CN=example.test, O=Good"), constrained]);
        var e = Refused([Leaf(constrained, subject: "CN=example.test, O=Bad"), constrained]);
        Assert.Contains("violates the name constraints", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCriticalExtension_IsRefused_ButNonCriticalIsIgnored()
    {
        var critical = Leaf(IntermediateCa, extra: [new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], true)]);
        var e = Refused([critical, IntermediateCa]);
        Assert.True(e.Alert == AlertDescription.UnsupportedCertificate, e.Message);
        Assert.Contains("unknown critical extension 1.3.6.1.4.1.99999.1", e.Message, StringComparison.Ordinal);
        Verify([Leaf(IntermediateCa, extra: [new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], false)]), IntermediateCa]);
    }

    [Fact]
    public void Sha1SignedIntermediate_IsRefused()
    {
        var rsaRoot = Root("RSA Root", rsa: true);
        var sha1 = Intermediate("SHA-1 Intermediate", rsaRoot, hash: HashAlgorithmName.SHA1);
        var e = Refused([Leaf(sha1), sha1], [rsaRoot]);
        Assert.Contains("SHA-1", e.Message, StringComparison.Ordinal);
        var sha256 = Intermediate("SHA-256 Intermediate", rsaRoot);
        Verify([Leaf(sha256), sha256], [rsaRoot]);
    }

    [Fact]
    public void CrossSignedIntermediate_OnlyTheValidPathIsUsed()
    {
        // One intermediate key, certified twice: by root A (expired) and by root B (valid). The peer sends the
        // expired one first; the builder must try the other.
        var rootA = Root("Cross Root A");
        var rootB = Root("Cross Root B");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var viaA = Intermediate("Cross Intermediate", rootA, notAfter: Now.AddDays(-1), key: key);
        var viaB = Intermediate("Cross Intermediate", rootB, key: key);
        var leaf = Leaf(viaB);
        Verify([leaf, viaA, viaB], [rootA, rootB]);
        // Only the expired path available: refused, naming the expiry.
        Assert.Equal(AlertDescription.CertificateExpired, Refused([leaf, viaA], [rootA, rootB]).Alert);
    }

    [Fact]
    public void TwoRootsWithTheSameName_BothAreTried()
    {
        var oldRoot = Root("Rekeyed Root");
        var newRoot = Root("Rekeyed Root");
        var intermediate = Intermediate("Under New Root", newRoot);
        Verify([Leaf(intermediate), intermediate], [oldRoot, newRoot]);
    }

    [Fact]
    public void IssuerLoop_EndsAsUnknownCa_WithoutHanging()
    {
        using var keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var keyB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var selfA = Make(new Spec { Subject = "CN=Loop A", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Key = keyA }, null);
        var b = Make(new Spec { Subject = "CN=Loop B", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Key = keyB }, selfA);
        var a = Make(new Spec { Subject = "CN=Loop A", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Key = keyA }, b);
        var e = Refused([Leaf(a), a, b]);
        Assert.Equal(AlertDescription.UnknownCa, e.Alert);
    }

    [Fact]
    public void WrongHostName_ListsTheCertificateNames()
    {
        var e = Refused([Leaf(IntermediateCa, dns: ["a.example", "*.a.example"]), IntermediateCa], host: "b.example");
        Assert.Equal("name 'b.example' is not covered: certificate names a.example, *.a.example", e.Message);
    }

    [Fact]
    public void IpAddressIsNeverMatchedByDnsName()
    {
        var e = Refused([Leaf(IntermediateCa, dns: ["127.0.0.1"]), IntermediateCa], host: "127.0.0.1");
        Assert.Equal(AlertDescription.BadCertificate, e.Alert);
        Verify([Leaf(IntermediateCa, dns: [], ips: ["127.0.0.1"]), IntermediateCa], host: "127.0.0.1");
    }

    [Fact]
    public void NonDerEncoding_IsBadCertificate()
    {
        // basicConstraints with cA encoded as BOOLEAN 0x01: valid BER, not DER (RFC 5280 §4 requires DER).
        var ber = Make(new Spec { Subject = "CN=BER CA", KeyUsage = X509KeyUsageFlags.KeyCertSign, Extra = [new X509Extension("2.5.29.19", [0x30, 0x03, 0x01, 0x01, 0x01], true)] }, RootCa);
        var e = Refused([Leaf(ber), ber]);
        Assert.Equal(AlertDescription.BadCertificate, e.Alert);
        Assert.Contains("malformed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientCertificate_NeedsClientAuth()
    {
        var serverOnly = Leaf(IntermediateCa);
        var e = Refused([serverOnly, IntermediateCa], host: null, purpose: CertificatePurpose.ClientAuthentication);
        Assert.Contains("not valid for client authentication", e.Message, StringComparison.Ordinal);
    }
}
