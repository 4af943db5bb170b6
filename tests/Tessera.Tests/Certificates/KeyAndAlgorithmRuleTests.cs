using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Wire;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;

namespace Tessera.Tests.Certificates;

/// <summary>
/// Keys (BR §6.1.5, RFC 5480 §2.1.1), signature algorithm encodings (RFC 4055, RFC 5758, BR §7.1.3.2) and the strict
/// reading of every extension the verifier parses, in both profiles. Leaf keys are swapped in by re-signing the TBS, so
/// the key under test is never needed to verify anything.
/// </summary>
public sealed class KeyAndAlgorithmRuleTests
{
    private static readonly X509Certificate2 RootCa = Root("Key Rule Root");
    private static readonly X509Certificate2 IntermediateCa = Intermediate("Key Rule Intermediate", RootCa);
    private static readonly X509Certificate2 RsaRoot = Root("Key Rule RSA Root", rsa: true);
    private static readonly byte[] Point = [0x04, .. new byte[64]];

    private static void Verify(X509Certificate2[] chain, VerificationProfile profile, X509Certificate2? root = null) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(root ?? RootCa), RevocationMode.Off, profile: profile)
            .Verify(new CertificateVerificationRequest(chain, "example.test", CertificatePurpose.ServerAuthentication, Now));

    private static string Refused(X509Certificate2[] chain, VerificationProfile profile, X509Certificate2? root = null) =>
        Assert.Throws<TlsException>(() => Verify(chain, profile, root)).Message;

    private static X509Certificate2 LeafWithKey(byte[] spki) => Rewrite(Leaf(IntermediateCa), IntermediateCa, f => f[6] = spki);

    private static byte[] Oid(string oid)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteObjectIdentifier(oid);
        return w.Encode();
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void RsaKeys_AtLeast2048Bits(VerificationProfile profile)
    {
        Verify([LeafWithKey(RsaSpki(2048)), IntermediateCa], profile);
        Verify([LeafWithKey(RsaSpki(4096)), IntermediateCa], profile);
        Assert.Contains("certificate for example.test has a 2040-bit RSA key; Tessera requires at least 2048 bits",
            Refused([LeafWithKey(RsaSpki(2040)), IntermediateCa], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void RsaModulus_InWholeOctets_IsALint_NotARefusal()
    {
        // Chrome and rustls-webpki accept any modulus length above their floor: the whole-octets rule binds the CA.
        var odd = LeafWithKey(RsaSpki(2052));
        Assert.Contains(IssuanceLint.Check(odd), f => f.Contains("has a 2052-bit RSA key, which BR §6.1.5 forbids", StringComparison.Ordinal));
        Assert.Empty(IssuanceLint.Check(LeafWithKey(RsaSpki(2048))));
        Verify([odd, IntermediateCa], VerificationProfile.WebPki);
        Verify([odd, IntermediateCa], VerificationProfile.Rfc5280);
    }

    [Fact]
    public void EcKeys_OnlyTheThreeNistCurves_UnderWebPki()
    {
        foreach (var curve in new[] { "1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35" })
            Verify([LeafWithKey(Spki("1.2.840.10045.2.1", Oid(curve), Point)), IntermediateCa], VerificationProfile.WebPki);
        var brainpool = LeafWithKey(Spki("1.2.840.10045.2.1", Oid("1.3.36.3.3.2.8.1.1.7"), Point));
        Assert.Contains("has an EC key on curve 1.3.36.3.3.2.8.1.1.7, which BR §6.1.5 forbids", Refused([brainpool, IntermediateCa], VerificationProfile.WebPki), StringComparison.Ordinal);
        Verify([brainpool, IntermediateCa], VerificationProfile.Rfc5280);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void ExplicitCurveParameters_AndDsa_AreRefused(VerificationProfile profile)
    {
        byte[] specified = [0x30, 0x03, 0x02, 0x01, 0x01];   // stands for a SpecifiedECDomain SEQUENCE
        Assert.Contains("has an EC key with explicit curve parameters, which RFC 5480 §2.1.1 forbids",
            Refused([LeafWithKey(Spki("1.2.840.10045.2.1", specified, Point)), IntermediateCa], profile), StringComparison.Ordinal);
        byte[] dsaParameters = [0x30, 0x09, 0x02, 0x01, 0x17, 0x02, 0x01, 0x0b, 0x02, 0x01, 0x02];
        Assert.Contains("has a DSA key, which Tessera refuses",
            Refused([LeafWithKey(Spki("1.2.840.10040.4.1", dsaParameters, [0x02, 0x01, 0x05])), IntermediateCa], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void Ed25519Keys_AreRefusedByWebPki_AcceptedByRfc5280()
    {
        var ed = LeafWithKey(Spki("1.3.101.112", null, new byte[32]));
        Assert.Contains("has a Ed25519 key, which BR §6.1.5 forbids", Refused([ed, IntermediateCa], VerificationProfile.WebPki), StringComparison.Ordinal);
        Verify([ed, IntermediateCa], VerificationProfile.Rfc5280);
    }

    [Theory]
    [InlineData(VerificationProfile.WebPki)]
    [InlineData(VerificationProfile.Rfc5280)]
    public void EcdsaSignatureParameters_AreRefused(VerificationProfile profile)
    {
        // ecdsa-with-SHA256 with a NULL parameter, inside and outside the TBS alike.
        byte[] withNull = [0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x05, 0x00];
        var leaf = Rewrite(Leaf(IntermediateCa), IntermediateCa, f => f[2] = withNull);
        Assert.Contains("has ECDSA signature parameters, which RFC 5758 §3.2 forbids", Refused([leaf, IntermediateCa], profile), StringComparison.Ordinal);
    }

    [Fact]
    public void RsaPkcs1WithoutNullParameters_IsALint_AcceptedByBothProfiles()
    {
        // RFC 4055 §5 tells verifiers to accept the parameters absent, and Chrome does: BR §7.1.3.2.1 binds the CA.
        byte[] absent = [0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
        var leaf = Rewrite(Leaf(RsaRoot), RsaRoot, f => f[2] = absent);
        Assert.Contains(IssuanceLint.Check(leaf), f => f.Contains("omits the NULL parameters of its RSA PKCS#1 signature algorithm, which BR §7.1.3.2.1 requires", StringComparison.Ordinal));
        Verify([leaf], VerificationProfile.WebPki, RsaRoot);
        Verify([leaf], VerificationProfile.Rfc5280, RsaRoot);
        Verify([Leaf(RsaRoot)], VerificationProfile.WebPki, RsaRoot);
    }

    [Fact]
    public void RsaPss_OnlyTheBrEncodings_UnderWebPki()
    {
        static byte[] Pss(bool hashNull)
        {
            var w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("1.2.840.113549.1.1.10");
                using (w.PushSequence())
                {
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) Hash(w, hashNull);
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                        Hash(w, hashNull);
                    }
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2))) w.WriteInteger(32);
                }
            }
            return w.Encode();
        }
        static void Hash(AsnWriter w, bool withNull)
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("2.16.840.1.101.3.4.2.1");
                if (withNull) w.WriteNull();
            }
        }
        var canonical = Rewrite(Leaf(RsaRoot), RsaRoot, f => f[2] = Pss(hashNull: true));
        Verify([canonical], VerificationProfile.WebPki, RsaRoot);
        var variant = Rewrite(Leaf(RsaRoot), RsaRoot, f => f[2] = Pss(hashNull: false));
        Assert.Contains("has RSASSA-PSS parameters other than the three encodings BR §7.1.3.2.1 allows",
            Refused([variant], VerificationProfile.WebPki, RsaRoot), StringComparison.Ordinal);
        Verify([variant], VerificationProfile.Rfc5280, RsaRoot);
    }

    public static TheoryData<string, string, byte[]> MalformedExtensions => new()
    {
        { "authorityInfoAccess, empty", "1.3.6.1.5.5.7.1.1", [0x30, 0x00] },
        { "authorityInfoAccess, location not a GeneralName", "1.3.6.1.5.5.7.1.1", [0x30, 0x0f, 0x30, 0x0d, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x04, 0x01, 0x41] },
        { "cRLDistributionPoints, reasons only", "2.5.29.31", [0x30, 0x06, 0x30, 0x04, 0x81, 0x02, 0x07, 0x80] },
        { "cRLDistributionPoints, trailing garbage", "2.5.29.31", [0x30, 0x02, 0x30, 0x00, 0x00] },
        { "certificatePolicies, same OID twice", "2.5.29.32", [0x30, 0x0e, 0x30, 0x05, 0x06, 0x03, 0x55, 0x1d, 0x20, 0x30, 0x05, 0x06, 0x03, 0x55, 0x1d, 0x20] },
        { "certificatePolicies, empty qualifiers", "2.5.29.32", [0x30, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x1d, 0x20, 0x30, 0x00] },
        { "subjectAltName, unknown GeneralName tag", "2.5.29.17", [0x30, 0x03, 0x89, 0x01, 0x41] },
    };

    [Theory]
    [MemberData(nameof(MalformedExtensions))]
    public void MalformedExtensions_TesseraReads_AreErrors_NotSkipped(string what, string oid, byte[] value)
    {
        var cert = Make(new Spec { Subject = "CN=example.test", Dns = oid == "2.5.29.17" ? [] : ["example.test"], Ekus = [Tessera.Tests.Support.CertBuilder.Oid.ServerAuth], Extra = [new X509Extension(oid, value, false)] }, IntermediateCa);
        foreach (var profile in new[] { VerificationProfile.WebPki, VerificationProfile.Rfc5280 })
            Assert.Contains("is malformed", Refused([cert, IntermediateCa], profile), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void WellFormedAiaCrlDpAndPolicies_AreAccepted()
    {
        // AIA: caIssuers URI; CRL DP: fullName URI; policies: BR domain-validated with a CPS qualifier.
        var aia = new X509AuthorityInformationAccessExtension(["http://ocsp.example.test"], ["http://ca.example.test/ca.crt"]);
        var crlDp = CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(["http://crl.example.test/ca.crl"]);
        byte[] policies = [0x30, 0x0a, 0x30, 0x08, 0x06, 0x06, 0x67, 0x81, 0x0c, 0x01, 0x02, 0x01];
        var leaf = Leaf(IntermediateCa, extra: [aia, crlDp, new X509Extension("2.5.29.32", policies, false)]);
        Verify([leaf, IntermediateCa], VerificationProfile.WebPki);
        Verify([leaf, IntermediateCa], VerificationProfile.Rfc5280);
    }
}
