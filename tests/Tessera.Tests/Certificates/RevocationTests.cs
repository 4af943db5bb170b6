using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;
using Status = Tessera.Tests.Support.OcspResponseBuilder.Status;

namespace Tessera.Tests.Certificates;

/// <summary>Stapled OCSP and caller-supplied CRLs under each revocation policy.</summary>
public sealed class RevocationTests
{
    private static readonly X509Certificate2 RootCa = Root("Revocation Root");
    private static readonly X509Certificate2 IntermediateCa = Intermediate("Revocation Intermediate", RootCa);

    private static void Verify(RevocationMode mode, X509Certificate2 leaf, byte[]? staple = null, params CertificateRevocationList[] crls) =>
        new TesseraCertificateVerifier(TrustStore.FromCertificates(RootCa), mode, crls)
            .Verify(new CertificateVerificationRequest([leaf, IntermediateCa], "example.test", CertificatePurpose.ServerAuthentication, Now, staple));

    public static TheoryData<RevocationMode, Status, bool, bool> StapleCases() => new()
    {
        // mode, status, expired staple, accepted
        { RevocationMode.Off, Status.Revoked, false, true },
        { RevocationMode.SoftFail, Status.Good, false, true },
        { RevocationMode.SoftFail, Status.Revoked, false, false },
        { RevocationMode.SoftFail, Status.Good, true, true },     // expired staple = no information
        { RevocationMode.SoftFail, Status.Unknown, false, true },
        { RevocationMode.HardFail, Status.Good, false, true },
        { RevocationMode.HardFail, Status.Revoked, false, false },
        { RevocationMode.HardFail, Status.Good, true, false },
        { RevocationMode.HardFail, Status.Unknown, false, false },
    };

    [Theory]
    [MemberData(nameof(StapleCases))]
    public void Staple_IsJudgedByPolicy(RevocationMode mode, Status status, bool expired, bool accepted)
    {
        var leaf = Leaf(IntermediateCa);
        var staple = expired
            ? OcspResponseBuilder.Build(leaf, IntermediateCa, status, Now.AddDays(-10), Now.AddDays(-3))
            : OcspResponseBuilder.Build(leaf, IntermediateCa, status, Now.AddHours(-1), Now.AddDays(3));
        if (accepted)
        {
            Verify(mode, leaf, staple);
            return;
        }
        var e = Assert.Throws<TlsException>(() => Verify(mode, leaf, staple));
        if (status == Status.Revoked) Assert.Equal(AlertDescription.CertificateRevoked, e.Alert);
        else Assert.Equal(AlertDescription.BadCertificateStatusResponse, e.Alert);
    }

    [Fact]
    public void Staple_FromADelegatedResponder_IsAccepted_AndFromAStranger_IsNot()
    {
        var leaf = Leaf(IntermediateCa);
        var responder = Leaf(IntermediateCa, dns: ["ocsp.example.test"], ekus: ["1.3.6.1.5.5.7.3.9"]);
        Assert.Throws<TlsException>(() => Verify(RevocationMode.HardFail, leaf,
            OcspResponseBuilder.Build(leaf, IntermediateCa, Status.Revoked, Now.AddHours(-1), Now.AddDays(1), responder)));
        Verify(RevocationMode.HardFail, leaf, OcspResponseBuilder.Build(leaf, IntermediateCa, Status.Good, Now.AddHours(-1), Now.AddDays(1), responder));

        var stranger = Leaf(Root("Stranger Root"), dns: ["ocsp.evil.test"], ekus: ["1.3.6.1.5.5.7.3.9"]);
        var e = Assert.Throws<TlsException>(() => Verify(RevocationMode.HardFail, leaf,
            OcspResponseBuilder.Build(leaf, IntermediateCa, Status.Good, Now.AddHours(-1), Now.AddDays(1), stranger)));
        Assert.Contains("not signed by the certificate's issuer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Staple_ForAnotherCertificate_IsUnusable()
    {
        var leaf = Leaf(IntermediateCa);
        var other = Leaf(IntermediateCa);
        var e = Assert.Throws<TlsException>(() => Verify(RevocationMode.HardFail, leaf, OcspResponseBuilder.Build(other, IntermediateCa, Status.Good, Now.AddHours(-1), Now.AddDays(1))));
        Assert.Contains("does not cover this certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HardFail_WithoutAnyInformation_IsRefused_SoftFailIsNot()
    {
        var leaf = Leaf(IntermediateCa);
        Verify(RevocationMode.SoftFail, leaf);
        var e = Assert.Throws<TlsException>(() => Verify(RevocationMode.HardFail, leaf));
        Assert.Contains("hard-fail", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crl_ListingTheLeaf_Revokes_UnderSoftAndHardFail()
    {
        var leaf = Leaf(IntermediateCa);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf, Now.AddDays(-1));
        var crl = CertificateRevocationList.Parse(builder.Build(IntermediateCa, 1, Now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: Now.AddHours(-1)));
        foreach (var mode in new[] { RevocationMode.SoftFail, RevocationMode.HardFail })
            Assert.Equal(AlertDescription.CertificateRevoked, Assert.Throws<TlsException>(() => Verify(mode, leaf, null, crl)).Alert);
        Verify(RevocationMode.Off, leaf, null, crl);

        // A fresh CRL that does not list the leaf is enough for hard-fail.
        var clean = CertificateRevocationList.Parse(new CertificateRevocationListBuilder().Build(IntermediateCa, 2, Now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: Now.AddHours(-1)));
        Verify(RevocationMode.HardFail, leaf, null, clean);
    }

    [Fact]
    public void Crl_SignedByAnotherKey_IsIgnored()
    {
        var leaf = Leaf(IntermediateCa);
        var impostor = Intermediate("Revocation Intermediate", Root("Impostor Root"));
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf, Now.AddDays(-1));
        var forged = CertificateRevocationList.Parse(builder.Build(impostor, 1, Now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: Now.AddHours(-1)));
        Verify(RevocationMode.SoftFail, leaf, null, forged);
    }

    /// <summary>
    /// A v2 CRL written field by field (.NET's builder always adds a non-critical cRLNumber), listing <paramref name="revoked"/>,
    /// signed by <paramref name="issuer"/>'s ECDSA key. crlNumber: null for none, else its criticality.
    /// </summary>
    private static CertificateRevocationList HandmadeCrl(X509Certificate2 issuer, X509Certificate2 revoked, bool? crlNumberCritical, int version = 2)
    {
        var tbs = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        byte[] algorithm = [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
        using (tbs.PushSequence())
        {
            if (version == 2) tbs.WriteInteger(1);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.SubjectName.RawData);
            tbs.WriteUtcTime(Now.AddHours(-1));
            tbs.WriteUtcTime(Now.AddDays(7));
            using (tbs.PushSequence())
            using (tbs.PushSequence())
            {
                tbs.WriteIntegerUnsigned(Convert.FromHexString(revoked.SerialNumber));
                tbs.WriteUtcTime(Now.AddDays(-1));
            }
            if (crlNumberCritical is { } critical)
                using (tbs.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0)))
                using (tbs.PushSequence())
                using (tbs.PushSequence())
                {
                    tbs.WriteObjectIdentifier("2.5.29.20");
                    if (critical) tbs.WriteBoolean(true);
                    tbs.WriteOctetString([0x02, 0x01, 0x07]);
                }
        }
        var tbsBytes = tbs.Encode();
        var signature = issuer.GetECDsaPrivateKey()!.SignData(tbsBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteEncodedValue(tbsBytes);
            w.WriteEncodedValue(algorithm);
            w.WriteBitString(signature);
        }
        return CertificateRevocationList.Parse(w.Encode());
    }

    [Fact]
    public void Crl_WithANonCriticalCrlNumber_IsBelieved()
    {
        var leaf = Leaf(IntermediateCa);
        var crl = HandmadeCrl(IntermediateCa, leaf, crlNumberCritical: false);
        Assert.Null(crl.Defect);
        Assert.Equal(AlertDescription.CertificateRevoked, Assert.Throws<TlsException>(() => Verify(RevocationMode.SoftFail, leaf, null, crl)).Alert);
    }

    [Theory]
    [InlineData(null, 2, "it has no cRLNumber, which RFC 5280 §5.2.3 requires")]
    [InlineData(true, 2, "it marks cRLNumber critical, which RFC 5280 §5.2.3 forbids")]
    [InlineData(null, 1, "it is a version 1 CRL; RFC 5280 §5.1.2.1 requires version 2")]
    public void Crl_WithoutCrlNumber_WithACriticalOne_OrVersion1_IsNotBelieved(bool? crlNumberCritical, int version, string defect)
    {
        var leaf = Leaf(IntermediateCa);
        var crl = HandmadeCrl(IntermediateCa, leaf, crlNumberCritical, version);
        Assert.Equal(defect, crl.Defect);
        Verify(RevocationMode.SoftFail, leaf, null, crl);   // no evidence either way: the listed leaf passes under soft-fail …
        Assert.Equal(AlertDescription.BadCertificateStatusResponse, Assert.Throws<TlsException>(() => Verify(RevocationMode.HardFail, leaf, null, crl)).Alert);   // … and is unknown under hard-fail
    }

    [Fact]
    public void Crl_FromAnIssuerWithoutCrlSign_IsNotBelieved()
    {
        var noCrlSign = Make(new Spec { Subject = "CN=No CRLSign CA", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign }, RootCa);
        var leaf = Leaf(noCrlSign);
        var crl = HandmadeCrl(noCrlSign, leaf, crlNumberCritical: false);
        Assert.Null(crl.Defect);
        void Check(RevocationMode mode) =>
            new TesseraCertificateVerifier(TrustStore.FromCertificates(RootCa), mode, [crl])
                .Verify(new CertificateVerificationRequest([leaf, noCrlSign], "example.test", CertificatePurpose.ServerAuthentication, Now));
        Check(RevocationMode.SoftFail);
        Assert.Equal(AlertDescription.BadCertificateStatusResponse, Assert.Throws<TlsException>(() => Check(RevocationMode.HardFail)).Alert);
        // The same CRL from an issuer with cRLSign revokes.
        var leaf2 = Leaf(IntermediateCa);
        Assert.Equal(AlertDescription.CertificateRevoked, Assert.Throws<TlsException>(() => Verify(RevocationMode.SoftFail, leaf2, null, HandmadeCrl(IntermediateCa, leaf2, false))).Alert);
    }
}
