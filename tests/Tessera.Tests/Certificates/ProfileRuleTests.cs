using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Wire;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;
using Oid = Tessera.Tests.Support.CertBuilder.Oid;

namespace Tessera.Tests.Certificates;

/// <summary>
/// The structural rules of the two verifier profiles (RFC 5280 §4.1–4.2, BR §7.1.2): for each rule a certificate that
/// breaks it is refused with a sentence naming the certificate and the clause, and a conforming neighbour passes; where
/// the profiles differ, both verdicts are pinned.
/// </summary>
public sealed class ProfileRuleTests
{
    private static readonly X509Certificate2 RootCa = Root("Profile Root");
    private static readonly X509Certificate2 IntermediateCa = Intermediate("Profile Intermediate", RootCa);

    private static void Verify(X509Certificate2[] chain, VerificationProfile profile, X509Certificate2[]? roots = null, string? host = "example.test",
        CertificatePurpose purpose = CertificatePurpose.ServerAuthentication, DateTimeOffset? at = null, int maxPathLength = 8) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(roots ?? [RootCa]), RevocationMode.Off, profile: profile, maxPathLength: maxPathLength)
            .Verify(new CertificateVerificationRequest(chain, host, purpose, at ?? Now));

    private static string Refused(X509Certificate2[] chain, VerificationProfile profile, X509Certificate2[]? roots = null, string? host = "example.test",
        CertificatePurpose purpose = CertificatePurpose.ServerAuthentication, DateTimeOffset? at = null, int maxPathLength = 8) =>
        Assert.Throws<TlsException>(() => Verify(chain, profile, roots, host, purpose, at, maxPathLength)).Message;

    private static X509Certificate2 WithSerial(X509Certificate2 cert, X509Certificate2 issuer, params byte[] content) =>
        Rewrite(cert, issuer, f => f[1] = RawInteger(content));

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void Serial_PositiveUpTo20Octets_IsAccepted_NegativeZeroOrLonger_IsRefused(VerificationProfile profile)
    {
        var leaf = Leaf(IntermediateCa);
        byte[] twenty = [0x00, .. Enumerable.Repeat((byte)0xff, 20)];   // 20 octets of magnitude, DER needs the leading zero
        Verify([WithSerial(leaf, IntermediateCa, twenty), IntermediateCa], profile);
        Verify([WithSerial(leaf, IntermediateCa, 0x01), IntermediateCa], profile);
        Assert.Contains("certificate for example.test has a negative serial number, which RFC 5280 §4.1.2.2 forbids",
            Refused([WithSerial(leaf, IntermediateCa, 0x80, 0x01), IntermediateCa], profile), StringComparison.Ordinal);
        Assert.Contains("has serial number zero", Refused([WithSerial(leaf, IntermediateCa, 0x00), IntermediateCa], profile), StringComparison.Ordinal);
        Assert.Contains("a serial number of 21 octets",
            Refused([WithSerial(leaf, IntermediateCa, [.. Enumerable.Repeat((byte)0x11, 21)]), IntermediateCa], profile), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void AuthorityKeyIdentifier_RequiredOnIssuedCertificates_NeverCritical(VerificationProfile profile)
    {
        Verify([Leaf(IntermediateCa), IntermediateCa], profile);
        var noAki = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], NoAuthorityKeyId = true }, IntermediateCa);
        Assert.Contains("certificate for example.test has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires",
            Refused([noAki, IntermediateCa], profile), StringComparison.Ordinal);
        var critical = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], AuthorityKeyIdCritical = true }, IntermediateCa);
        Assert.Contains("marks authorityKeyIdentifier critical, which RFC 5280 §4.2.1.1 forbids", Refused([critical, IntermediateCa], profile), StringComparison.Ordinal);
        var intermediateNoAki = Make(new Spec { Subject = "CN=No AKI CA", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, NoAuthorityKeyId = true }, RootCa);
        Assert.Contains("intermediate 'CN=No AKI CA' has no authorityKeyIdentifier",
            Refused([Leaf(intermediateNoAki), intermediateNoAki], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void RootAuthorityKeyIdentifier_NamingAnIssuer_IsALint_NotARefusal()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ski = new X509SubjectKeyIdentifierExtension(new PublicKey(key), false).SubjectKeyIdentifierBytes.ToArray();
        var good = Make(new Spec
        {
            Subject = "CN=AKI Root", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Key = key,
            Extra = [X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski)],
        }, null);
        var goodLeaf = Leaf(good);
        Verify([goodLeaf], VerificationProfile.WebPki, roots: [good]);
        var named = Make(new Spec
        {
            Subject = "CN=AKI Root", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Key = key,
            Extra = [X509AuthorityKeyIdentifierExtension.Create(ski, new X500DistinguishedName("CN=AKI Root"), new byte[] { 0x01 })],
        }, null);
        var leaf = Leaf(named);
        // BR §7.1.2.1.3 binds the CA; browsers do not judge a root's AKI, so it is reported, not refused.
        Assert.Empty(IssuanceLint.Check(good));
        Assert.Contains(IssuanceLint.Check(named), f => f.Contains("has an authorityKeyIdentifier naming an issuer and serial number, which BR §7.1.2.1.3 forbids", StringComparison.Ordinal));
        Verify([leaf], VerificationProfile.WebPki, roots: [named]);
        Verify([leaf], VerificationProfile.Rfc5280, roots: [named]);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void CaCertificates_NeedSubjectKeyId_CriticalBasicConstraints_AndASubject(VerificationProfile profile)
    {
        var noSki = Make(new Spec { Subject = "CN=No SKI CA", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, NoSubjectKeyId = true }, RootCa);
        Assert.Contains("intermediate 'CN=No SKI CA' has no subjectKeyIdentifier, which RFC 5280 §4.2.1.2 requires of CA certificates",
            Refused([Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], NoAuthorityKeyId = true }, noSki), noSki], profile),
            StringComparison.Ordinal);
        var softBc = Make(new Spec { Subject = "CN=Soft BC CA", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, BasicConstraintsCritical = false }, RootCa);
        Assert.Contains("intermediate 'CN=Soft BC CA' does not mark basicConstraints critical, which RFC 5280 §4.2.1.9 requires",
            Refused([Leaf(softBc), softBc], profile), StringComparison.Ordinal);
        var nameless = Make(new Spec { Subject = "", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign }, RootCa);
        Assert.Contains("has an empty subject, which RFC 5280 §4.1.2.6 forbids in CA certificates",
            Refused([Leaf(nameless), nameless], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void IntermediateWithoutKeyUsage_IsALint_AcceptedByBothProfiles()
    {
        var noKu = Make(new Spec { Subject = "CN=No KU CA", IsCa = true }, RootCa);
        Assert.Contains(IssuanceLint.Check(noKu), f => f.Contains("has no keyUsage, which BR §7.1.2.10.7 requires", StringComparison.Ordinal));
        Assert.Empty(IssuanceLint.Check(IntermediateCa));
        Verify([Leaf(noKu), noKu], VerificationProfile.WebPki);
        Verify([Leaf(noKu), noKu], VerificationProfile.Rfc5280);
    }

    [Fact]
    public void CaCertificateAsLeaf_IsRefusedByWebPki_AcceptedByRfc5280()
    {
        var caLeaf = Make(new Spec { Subject = "CN=example.test", IsCa = true, Dns = ["example.test"], Ekus = [Oid.ServerAuth], KeyUsage = X509KeyUsageFlags.DigitalSignature }, IntermediateCa);
        Assert.Contains("certificate for example.test is a CA certificate (basicConstraints cA is set) used as an end-entity certificate, which BR §7.1.2.7.8 forbids",
            Refused([caLeaf, IntermediateCa], VerificationProfile.WebPki), StringComparison.Ordinal);
        Verify([caLeaf, IntermediateCa], VerificationProfile.Rfc5280);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void KeyCertSign_WithoutCa_OrEmptyKeyUsage_IsRefused(VerificationProfile profile)
    {
        var signer = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign }, IntermediateCa);
        Assert.Contains("certificate for example.test asserts keyCertSign without basicConstraints cA, which RFC 5280 §4.2.1.3 forbids",
            Refused([signer, IntermediateCa], profile), StringComparison.Ordinal);
        var empty = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], KeyUsage = X509KeyUsageFlags.None }, IntermediateCa);
        Assert.Contains("has a keyUsage with no bit set", Refused([empty, IntermediateCa], profile), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void NameConstraints_OnlyInCaCertificates_AlwaysCritical_PolicyConstraintsCritical(VerificationProfile profile)
    {
        var constrainedLeaf = Leaf(IntermediateCa, extra: [NameConstraints(permittedDns: ["example.test"])]);
        Assert.Contains("carries nameConstraints, which RFC 5280 §4.2.1.10 allows only in CA certificates",
            Refused([constrainedLeaf, IntermediateCa], profile), StringComparison.Ordinal);
        var critical = NameConstraints(permittedDns: ["example.test"]);
        var softNc = Intermediate("Soft NC CA", RootCa, extra: [new X509Extension(critical.Oid!, critical.RawData, false)]);
        // The criticality rule binds the CA: Chrome and rustls-webpki apply non-critical constraints all the same, so
        // WebPki applies them and reports the flag (IssuanceLint); the RFC 5280 profile refuses.
        Assert.Contains(IssuanceLint.Check(softNc), f => f.Contains("does not mark nameConstraints critical", StringComparison.Ordinal));
        if (profile == VerificationProfile.Rfc5280)
            Assert.Contains("intermediate 'CN=Soft NC CA' does not mark nameConstraints critical", Refused([Leaf(softNc), softNc], profile), StringComparison.Ordinal);
        else
        {
            Verify([Leaf(softNc), softNc], profile);
            Assert.Contains("violates the name constraints of 'CN=Soft NC CA'",
                Refused([Make(new Spec { Subject = "CN=other.test", Dns = ["other.test"], Ekus = [Oid.ServerAuth] }, softNc), softNc], profile, host: "other.test"), StringComparison.Ordinal);
        }
        var hardNc = Intermediate("Hard NC CA", RootCa, extra: [critical]);
        Verify([Leaf(hardNc), hardNc], profile);
        // PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] 0 }
        var softPc = Intermediate("Soft PC CA", RootCa, extra: [new X509Extension("2.5.29.36", [0x30, 0x03, 0x80, 0x01, 0x00], false)]);
        Assert.Contains("does not mark policyConstraints critical, which RFC 5280 §4.2.1.11 requires", Refused([Leaf(softPc), softPc], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void SubjectAltNameCriticality_FollowsTheSubject()
    {
        var criticalSan = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], SanCritical = true }, IntermediateCa);
        Assert.Contains(IssuanceLint.Check(criticalSan), f => f.Contains("marks subjectAltName critical while its subject is not empty, which BR §7.1.2.7.12 forbids", StringComparison.Ordinal));
        Verify([criticalSan, IntermediateCa], VerificationProfile.WebPki);
        Verify([criticalSan, IntermediateCa], VerificationProfile.Rfc5280);

        foreach (var profile in new[] { VerificationProfile.WebPki, VerificationProfile.Rfc5280 })
        {
            var emptyCritical = Make(new Spec { Subject = "", Dns = ["example.test"], Ekus = [Oid.ServerAuth], SanCritical = true }, IntermediateCa);
            Verify([emptyCritical, IntermediateCa], profile);
            var emptySoft = Make(new Spec { Subject = "", Dns = ["example.test"], Ekus = [Oid.ServerAuth] }, IntermediateCa);
            Assert.Contains("has an empty subject and a non-critical subjectAltName; RFC 5280 §4.2.1.6 requires it critical",
                Refused([emptySoft, IntermediateCa], profile), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LeafExtendedKeyUsage_FormIsALint_ButAnEkuWithoutServerAuth_IsRefusedByWebPki()
    {
        // Chrome and rustls-webpki read an absent EKU as any purpose and accept anyExtendedKeyUsage beside serverAuth;
        // BR §7.1.2.7.10's form rules bind the CA. What a browser refuses — an EKU that names no serverAuth — stays refused.
        var none = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = null }, IntermediateCa);
        Assert.Contains(IssuanceLint.Check(none), f => f.Contains("has no extendedKeyUsage, which BR §7.1.2.7.10 requires", StringComparison.Ordinal));
        Verify([none, IntermediateCa], VerificationProfile.WebPki);
        Verify([none, IntermediateCa], VerificationProfile.Rfc5280);

        var withAny = Leaf(IntermediateCa, ekus: [Oid.ServerAuth, Oid.AnyEku]);
        Assert.Contains(IssuanceLint.Check(withAny), f => f.Contains("lists anyExtendedKeyUsage, which BR §7.1.2.7.10 forbids", StringComparison.Ordinal));
        Verify([withAny, IntermediateCa], VerificationProfile.WebPki);
        Verify([withAny, IntermediateCa], VerificationProfile.Rfc5280);
        var onlyAny = Leaf(IntermediateCa, ekus: [Oid.AnyEku]);
        Assert.Contains("is not valid for server authentication", Refused([onlyAny, IntermediateCa], VerificationProfile.WebPki), StringComparison.Ordinal);
        Verify([onlyAny, IntermediateCa], VerificationProfile.Rfc5280);   // RFC 5280 §4.2.1.12: any purpose

        var critical = Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [Oid.ServerAuth], EkuCritical = true }, IntermediateCa);
        Assert.Contains(IssuanceLint.Check(critical), f => f.Contains("marks extendedKeyUsage critical, which BR §7.1.2.7.10 forbids", StringComparison.Ordinal));
        Verify([critical, IntermediateCa], VerificationProfile.WebPki);
        Verify([critical, IntermediateCa], VerificationProfile.Rfc5280);
        Assert.Empty(IssuanceLint.Check(Leaf(IntermediateCa)));
    }

    [Fact]
    public void RootWithExtendedKeyUsage_IsALint_AcceptedByBothProfiles()
    {
        var ekuRoot = Make(new Spec { Subject = "CN=EKU Root", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, Ekus = [Oid.ServerAuth] }, null);
        var leaf = Leaf(ekuRoot);
        Assert.Contains(IssuanceLint.Check(ekuRoot), f => f.Contains("has an extendedKeyUsage, which BR §7.1.2.1.2 forbids in roots", StringComparison.Ordinal));
        Assert.Empty(IssuanceLint.Check(RootCa));
        Verify([leaf], VerificationProfile.WebPki, roots: [ekuRoot]);
        Verify([leaf], VerificationProfile.Rfc5280, roots: [ekuRoot]);
    }

    [Fact]
    public void DefaultProfile_FollowsThePurpose()
    {
        var verifier = new TesseraCertificateVerifier(TrustStore.FromCertificates(RootCa));
        Assert.Equal(VerificationProfile.WebPki, verifier.ProfileFor(CertificatePurpose.ServerAuthentication));
        Assert.Equal(VerificationProfile.Rfc5280, verifier.ProfileFor(CertificatePurpose.ClientAuthentication));
        // anyExtendedKeyUsage alone: any purpose under RFC 5280 (clients), not serverAuth under WebPki (servers).
        var onlyAny = Leaf(IntermediateCa, ekus: [Oid.AnyEku]);
        verifier.Verify(new CertificateVerificationRequest([onlyAny, IntermediateCa], null, CertificatePurpose.ClientAuthentication, Now));
        Assert.Throws<TlsException>(() => verifier.Verify(new CertificateVerificationRequest([onlyAny, IntermediateCa], null, CertificatePurpose.ServerAuthentication, Now)));
    }

    [Fact]
    public void Validity_HasOneSecondGranularity_NotAfterInclusiveForItsWholeSecond()
    {
        var end = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, Now.Minute, Now.Second, TimeSpan.Zero).AddDays(1);
        var start = end.AddDays(-2);
        var leaf = Leaf(IntermediateCa, notBefore: start, notAfter: end);
        Verify([leaf, IntermediateCa], VerificationProfile.WebPki, at: end.AddMilliseconds(999));
        Verify([leaf, IntermediateCa], VerificationProfile.WebPki, at: start);
        var late = Refused([leaf, IntermediateCa], VerificationProfile.WebPki, at: end.AddSeconds(1));
        Assert.EndsWith($"expired on {end:yyyy-MM-dd HH:mm:ss} UTC, 1 second ago", late, StringComparison.Ordinal);
        Assert.EndsWith("expired on " + end.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC, 2 hours ago",
            Refused([leaf, IntermediateCa], VerificationProfile.WebPki, at: end.AddHours(2).AddMinutes(59)), StringComparison.Ordinal);
        Assert.Contains("(1 second from now)", Refused([leaf, IntermediateCa], VerificationProfile.WebPki, at: start.AddMilliseconds(-1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void ValidityEncoding_GeneralizedTimeBefore2050_OrFractionalSeconds_IsMalformed(VerificationProfile profile)
    {
        var leaf = Leaf(IntermediateCa);
        static byte[] Validity(params (UniversalTagNumber Tag, string Text)[] times)
        {
            var w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSequence())
                foreach (var (tag, text) in times)
                    w.WriteEncodedValue([(byte)tag, (byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text)]);
            return w.Encode();
        }
        var from = Now.AddDays(-1).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var utcFrom = from[2..];
        var ok = Rewrite(leaf, IntermediateCa, f => f[4] = Validity((UniversalTagNumber.UtcTime, utcFrom + "Z"), (UniversalTagNumber.GeneralizedTime, "20500101000000Z")));
        Verify([ok, IntermediateCa], profile);
        var generalized = Rewrite(leaf, IntermediateCa, f => f[4] = Validity((UniversalTagNumber.GeneralizedTime, from + "Z"), (UniversalTagNumber.GeneralizedTime, "20500101000000Z")));
        Assert.Contains("requires UTCTime before 2050", Refused([generalized, IntermediateCa], profile), StringComparison.Ordinal);
        var fractional = Rewrite(leaf, IntermediateCa, f => f[4] = Validity((UniversalTagNumber.UtcTime, utcFrom + "Z"), (UniversalTagNumber.GeneralizedTime, "20500101000000.5Z")));
        Assert.Contains("fractional seconds", Refused([fractional, IntermediateCa], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void MaxPathLength_IsAnOption()
    {
        var a = Intermediate("Depth A", RootCa);
        var b = Intermediate("Depth B", a);
        var c = Intermediate("Depth C", b);
        X509Certificate2[] chain = [Leaf(c), c, b, a];
        Verify(chain, VerificationProfile.WebPki);                       // five certificates, default 8
        Verify(chain, VerificationProfile.WebPki, maxPathLength: 5);
        Assert.Contains("is longer than 4 certificates, self-issued intermediates not counted (the verifier's maximum path length)",
            Refused(chain, VerificationProfile.WebPki, maxPathLength: 4), StringComparison.Ordinal);
    }
}
