using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Wire;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;
using Oid = Tessera.Tests.Support.CertBuilder.Oid;

namespace Tessera.Tests.Certificates;

/// <summary>
/// RFC 5280 §4.2.1.10 in full: invalid constraints refused, wildcard SANs against excluded subtrees, URI and otherName
/// SANs, subject email addresses, the self-issued exemption, and the work bound on names × subtrees.
/// </summary>
public sealed class NameConstraintRuleTests
{
    private static readonly X509Certificate2 RootCa = Root("NC Rule Root");

    private static void Verify(X509Certificate2[] chain, string? host = null) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(RootCa), RevocationMode.Off, profile: VerificationProfile.Rfc5280)
            .Verify(new CertificateVerificationRequest(chain, host, CertificatePurpose.ServerAuthentication, Now));

    private static string Refused(X509Certificate2[] chain) => Assert.Throws<TlsException>(() => Verify(chain)).Message;

    /// <summary>NameConstraints from raw GeneralName encodings: (permitted, excluded).</summary>
    private static X509Extension Constraints(byte[][] permitted, byte[][] excluded)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            if (permitted.Length > 0)
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    foreach (var p in permitted)
                        using (w.PushSequence()) w.WriteEncodedValue(p);
            if (excluded.Length > 0)
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                    foreach (var e in excluded)
                        using (w.PushSequence()) w.WriteEncodedValue(e);
        }
        return new X509Extension("2.5.29.30", w.Encode(), true);
    }

    private static byte[] Text(int tag, string value)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteOctetString(System.Text.Encoding.ASCII.GetBytes(value), new Asn1Tag(TagClass.ContextSpecific, tag));
        return w.Encode();
    }

    private static byte[] Dns(string d) => Text(2, d);
    private static byte[] Uri(string u) => Text(6, u);
    private static byte[] Email(string e) => Text(1, e);

    private static byte[] OtherName(string typeId, string utf8)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            w.WriteObjectIdentifier(typeId);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                w.WriteCharacterString(UniversalTagNumber.UTF8String, utf8);
        }
        return w.Encode();
    }

    private static X509Extension San(params byte[][] names)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
            foreach (var n in names) w.WriteEncodedValue(n);
        return new X509Extension("2.5.29.17", w.Encode(), false);
    }

    private static X509Certificate2 Ca(string name, X509Extension constraints) => Intermediate(name, RootCa, extra: [constraints]);

    private static X509Certificate2 LeafWith(X509Certificate2 issuer, string subject, params byte[][] names) =>
        Make(new Spec { Subject = subject, Ekus = [Oid.ServerAuth], Extra = [San(names)] }, issuer);

    [Theory]
    [InlineData("a dNSName with a leading period", 2, ".example.test", "has a leading period")]
    [InlineData("a dNSName with an underscore", 2, "ex_ample.test", "contains an underscore")]
    [InlineData("an empty URI", 6, "", "an empty URI constraint")]
    [InlineData("an rfc822Name with two '@'", 1, "invalid@invalid@example.test", "the rfc822Name constraint has a domain that")]
    [InlineData("an rfc822Name whose domain has an empty label", 1, ".example..test", "the rfc822Name constraint's domain")]
    public void InvalidConstraints_MakeTheCaMalformed(string what, int tag, string value, string why)
    {
        var ca = Ca("Bad NC " + what, Constraints([Text(tag, value)], []));
        var message = Refused([LeafWith(ca, "CN=example.test", Dns("example.test")), ca]);
        Assert.Contains("is malformed", message, StringComparison.Ordinal);
        Assert.Contains(why, message, StringComparison.Ordinal);
    }

    [Fact]
    public void IpConstraint_WithANonPrefixMask_IsInvalid()
    {
        byte[] ip = [0x87, 0x08, 10, 0, 0, 0, 0xff, 0x00, 0xff, 0x00];
        var ca = Ca("Bad IP NC", Constraints([ip], []));
        Assert.Contains("mask is not a prefix", Refused([LeafWith(ca, "CN=example.test", Dns("example.test")), ca]), StringComparison.Ordinal);
    }

    [Fact]
    public void WildcardSans_AgainstExcludedAndPermittedSubtrees_AreDecidedSafely()
    {
        var excluding = Ca("Excluding CA", Constraints([], [Dns("bad.example.test")]));
        Assert.Contains("DNS name '*.example.test' is in an excluded subtree (DNS name 'bad.example.test')",
            Refused([LeafWith(excluding, "CN=*.example.test", Dns("*.example.test")), excluding]), StringComparison.Ordinal);
        Verify([LeafWith(excluding, "CN=*.other.example.test", Dns("*.other.example.test")), excluding]);   // cannot reach bad.example.test
        var deepExcluding = Ca("Deep Excluding CA", Constraints([], [Dns("x.bad.example.test")]));
        Verify([LeafWith(deepExcluding, "CN=*.example.test", Dns("*.example.test")), deepExcluding]);      // one label cannot reach two

        var permitting = Ca("Permitting CA", Constraints([Dns("example.test")], []));
        Verify([LeafWith(permitting, "CN=*.example.test", Dns("*.example.test")), permitting]);
        var narrow = Ca("Narrow CA", Constraints([Dns("www.example.test")], []));
        Assert.Contains("is outside the permitted subtrees", Refused([LeafWith(narrow, "CN=*.example.test", Dns("*.example.test")), narrow]), StringComparison.Ordinal);
    }

    [Fact]
    public void UriSans_AreCheckedByHost()
    {
        var ca = Ca("URI CA", Constraints([Uri(".example.test")], []));
        Verify([LeafWith(ca, "CN=example.test", Dns("example.test"), Uri("https://api.example.test/v1")), ca]);
        Assert.Contains("URI 'https://evil.test/' is outside the permitted subtrees",
            Refused([LeafWith(ca, "CN=example.test", Dns("example.test"), Uri("https://evil.test/")), ca]), StringComparison.Ordinal);
        Assert.Contains("URI 'urn:example:1' has no host to check against the URI name constraints",
            Refused([LeafWith(ca, "CN=example.test", Dns("example.test"), Uri("urn:example:1")), ca]), StringComparison.Ordinal);
    }

    [Fact]
    public void OtherNameSans_PassOnlyAnIdenticalPermittedSubtree()
    {
        const string upn = "1.3.6.1.4.1.311.20.2.3";
        var ca = Ca("OtherName CA", Constraints([OtherName(upn, "alice@example.test")], []));
        Verify([LeafWith(ca, "CN=alice", OtherName(upn, "alice@example.test")), ca]);
        Assert.Contains($"otherName of type {upn} is outside the permitted subtrees",
            Refused([LeafWith(ca, "CN=mallory", OtherName(upn, "mallory@example.test")), ca]), StringComparison.Ordinal);
        var excluding = Ca("OtherName Excluding CA", Constraints([], [OtherName(upn, "root@example.test")]));
        Assert.Contains("cannot be checked against an excluded subtree of its form",
            Refused([LeafWith(excluding, "CN=alice", OtherName(upn, "alice@example.test")), excluding]), StringComparison.Ordinal);
        var dnsOnly = Ca("DNS Only CA", Constraints([Dns("example.test")], []));
        Verify([LeafWith(dnsOnly, "CN=alice", Dns("example.test"), OtherName(upn, "alice@elsewhere.test")), dnsOnly]);   // no otherName constraint
    }

    [Fact]
    public void SubjectEmailAddresses_AreCheckedAgainstRfc822Constraints()
    {
        var ca = Ca("Email CA", Constraints([Email("example.test")], []));
        Verify([LeafWith(ca, "E=alice@example.test, CN=alice", Dns("alice.example.net")), ca]);
        Assert.Contains("subject email address 'mallory@evil.test' is outside the permitted subtrees",
            Refused([LeafWith(ca, "E=mallory@evil.test, CN=mallory", Dns("mallory.example.net")), ca]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice@bob@example.test")]       // reads as a mailbox at example.test only if split at the last '@'
    [InlineData("@example.test")]                // no local part
    [InlineData("alice.@example.test")]          // a dot-string may not end with a dot
    [InlineData("alice@")]                       // no domain
    [InlineData("alice")]                        // no '@' at all
    [InlineData("al ice@example.test")]          // a space is not atext
    public void EmailSans_ThatAreNotMailboxes_FailRfc822Constraints(string email)
    {
        // RFC 5280 §4.2.1.6: an rfc822Name is a Mailbox (RFC 5321 §4.1.2). A name that is not one cannot be placed in a
        // subtree, so it fails a permitted constraint of its form (limbo's rfc5280::nc invalid-mailbox cases).
        var ca = Ca("Mailbox CA", Constraints([Email("example.test")], []));
        Assert.Contains("is not a valid mailbox", Refused([LeafWith(ca, "CN=mail", Dns("mail.example.net"), Email(email)), ca]), StringComparison.Ordinal);
        var excluding = Ca("Excluding Mailbox CA", Constraints([], [Email("evil.test")]));
        Assert.Contains("is not a valid mailbox", Refused([LeafWith(excluding, "CN=mail", Dns("mail.example.net"), Email(email)), excluding]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice@example.test")]
    [InlineData("first.last+tag@example.test")]
    [InlineData("\"alice@home\"@example.test")]  // a quoted local part may hold an '@'
    public void EmailSans_ThatAreMailboxes_AreJudgedByTheirDomain(string email)
    {
        var ca = Ca("Good Mailbox CA", Constraints([Email("example.test")], []));
        Verify([LeafWith(ca, "CN=mail", Dns("mail.example.net"), Email(email)), ca]);
        // Without rfc822Name constraints an email SAN is not judged at all.
        var dnsOnly = Ca("DNS only CA", Constraints([Dns("example.net")], []));
        Verify([LeafWith(dnsOnly, "CN=mail", Dns("mail.example.net"), Email("not a mailbox")), dnsOnly]);
    }

    [Fact]
    public void SelfIssuedIntermediates_AreExempt_OtherIntermediatesAreNot()
    {
        var constrained = Ca("Rollover CA", Constraints([Dns("example.test")], []));
        // Key rollover: the same name, a new key, issued by the old one — self-issued, so exempt although its SAN is outside.
        var rollover = Make(new Spec { Subject = "CN=Rollover CA", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Dns = ["outside.test"] }, constrained);
        Verify([LeafWith(rollover, "CN=www.example.test", Dns("www.example.test")), rollover, constrained]);
        var other = Make(new Spec { Subject = "CN=Other Sub CA", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Dns = ["outside.test"] }, constrained);
        Assert.Contains("intermediate 'CN=Other Sub CA' violates the name constraints of 'CN=Rollover CA': DNS name 'outside.test' is outside the permitted subtrees",
            Refused([LeafWith(other, "CN=www.example.test", Dns("www.example.test")), other, constrained]), StringComparison.Ordinal);
        // The leaf is never exempt, even when self-issued.
        Assert.Contains("is outside the permitted subtrees", Refused([LeafWith(rollover, "CN=Rollover CA", Dns("outside.test")), rollover, constrained]), StringComparison.Ordinal);
    }

    [Fact]
    public void NamesTimesSubtrees_AreBounded()
    {
        var subtrees = new byte[300][];
        for (var i = 0; i < subtrees.Length; i++) subtrees[i] = Dns($"d{i}.example.test");
        var ca = Ca("Many Subtrees CA", Constraints(subtrees, []));
        var few = new byte[10][];
        for (var i = 0; i < few.Length; i++) few[i] = Dns($"h{i}.d{i}.example.test");
        Verify([LeafWith(ca, "CN=h0.d0.example.test", few), ca]);
        var many = new byte[300][];
        for (var i = 0; i < many.Length; i++) many[i] = Dns($"h{i}.d{i}.example.test");
        Assert.Contains($"needs more than {PathValidator.MaxNameConstraintChecks} name-constraint comparisons",
            Refused([LeafWith(ca, "CN=h0.d0.example.test", many), ca]), StringComparison.Ordinal);
    }
}
