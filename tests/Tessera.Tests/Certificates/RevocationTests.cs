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
}
