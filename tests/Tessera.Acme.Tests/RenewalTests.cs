using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>Renewal decisions: RFC 9773's certificate identifier, a point in the CA's window chosen with injected randomness and clock, and the two-thirds rule without ARI.</summary>
public sealed class RenewalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_Ari_Identifier_Of_Rfc9773s_Example_Certificate_Is_Its_Example_Identifier()
    {
        // RFC 9773 §4.1: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ari.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4")));
        using var certificate = request.Create(new X500DistinguishedName("CN=issuer"), X509SignatureGenerator.CreateForECDsa(key), Now.AddDays(-1), Now.AddDays(30), [0x00, 0x87, 0x65, 0x43, 0x21]);
        Assert.Equal("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", AriCertificateId.Of(certificate));
    }

    [Fact]
    public void A_Certificate_Without_An_Authority_Key_Identifier_Has_No_Ari_Identifier()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=plain.test", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        Assert.Null(AriCertificateId.Of(certificate));
    }

    [Theory]
    [InlineData(0.25, false, "2026-12-09 12:00:00Z")]   // a quarter into a window of 8 to 12 December (4 days)
    [InlineData(0.0, false, "2026-12-08 12:00:00Z")]
    public void A_Window_Ahead_Gives_The_Chosen_Point_In_It(double draw, bool now, string expected)
    {
        var window = new RenewalWindow(Now.AddDays(1), Now.AddDays(5), null, null);
        var decision = RenewalPolicy.Decide(Now.AddDays(-60), Now.AddDays(30), window, Now, new FixedDraw(draw));
        Assert.Equal(now, decision.RenewNow);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), decision.RenewAt);
        Assert.StartsWith("the CA suggests renewing between 2026-12-08 12:00:00Z and 2026-12-12 12:00:00Z", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Window_Whose_Chosen_Point_Has_Passed_Means_Now_And_The_Explanation_Is_Named()
    {
        var window = new RenewalWindow(Now.AddDays(-2), Now.AddDays(2), new Uri("https://ca.test/incident"), null);
        var decision = RenewalPolicy.Decide(Now.AddDays(-60), Now.AddDays(30), window, Now, new FixedDraw(0.4));
        Assert.True(decision.RenewNow);
        Assert.Equal(Now, decision.RenewAt);
        Assert.Equal("the CA's renewal window 2026-12-05 12:00:00Z to 2026-12-09 12:00:00Z has come (the CA explains: https://ca.test/incident)", decision.Reason);
        // The same window with a later draw: not yet.
        Assert.False(RenewalPolicy.Decide(Now.AddDays(-60), Now.AddDays(30), window, Now, new FixedDraw(0.6)).RenewNow);
    }

    [Fact]
    public void Without_Ari_Renewal_Is_Due_At_Two_Thirds_Of_The_Lifetime()
    {
        // 90 days from 1 November: two thirds is 31 December.
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var later = RenewalPolicy.Decide(from, from.AddDays(90), null, Now, new FixedDraw(0.5));
        Assert.False(later.RenewNow);
        Assert.Equal(from.AddDays(60), later.RenewAt);
        var due = RenewalPolicy.Decide(from.AddDays(-40), from.AddDays(50), null, Now, new FixedDraw(0.5));
        Assert.True(due.RenewNow);
        Assert.Equal("two thirds of its lifetime have passed (valid until 2026-12-21 00:00:00Z)", due.Reason);
        Assert.Equal("it expired on 2026-12-06 12:00:00Z", RenewalPolicy.Decide(Now.AddDays(-30), Now.AddDays(-1), null, Now, new FixedDraw(0.5)).Reason);
    }

    /// <summary>A Random whose every draw is one number.</summary>
    private sealed class FixedDraw(double value) : Random
    {
        public override double NextDouble() => value;
        protected override double Sample() => value;
    }
}
