using Tessera.Connection;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Certificates;

/// <summary>Bad server certificates are refused with the right alert and a sentence that says why.</summary>
public sealed class CertificateRefusalTests
{
    private static TlsException Refused(Tessera.Certificates.TlsCredential credential, string host = "example.test", TlsClientOptions? client = null)
    {
        var c = TlsConnection.CreateClient(client ?? Pair.Client(), host);
        var s = TlsConnection.CreateServer(Pair.Server(credential));
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.False(e.IsFromPeer);
        Assert.False(c.IsHandshakeComplete);
        // The server learns why through the alert, and never completes either.
        var atServer = Assert.Throws<TlsException>(() => Pump.Move(c, s, true));
        Assert.True(atServer.IsFromPeer);
        Assert.Equal(e.Alert, atServer.Alert);
        Assert.False(s.IsHandshakeComplete);
        return e;
    }

    [Fact]
    public void Wrong_Host_Name_Is_Bad_Certificate()
    {
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["a.example.test", "*.a.example.test"]);
        var e = Refused(cred, "b.example.test");
        Assert.Equal(AlertDescription.BadCertificate, e.Alert);
        Assert.Equal("name 'b.example.test' is not covered: certificate names a.example.test, *.a.example.test", e.Message);
    }

    [Fact]
    public void Wildcard_Covers_One_Label_Only()
    {
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["*.example.test"]);
        Pair.Connect(Pair.Client(), Pair.Server(cred), "www.example.test");
        Assert.Equal(AlertDescription.BadCertificate, Refused(cred, "a.b.example.test").Alert);
        Assert.Equal(AlertDescription.BadCertificate, Refused(cred, "example.test").Alert);
    }

    [Fact]
    public void Ip_Address_Matches_Ip_San_Only()
    {
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["127.0.0.1.example.test"], ipAddresses: ["127.0.0.1"]);
        var (c, _) = Pair.Connect(Pair.Client(), Pair.Server(cred), "127.0.0.1");
        Assert.True(c.IsHandshakeComplete);
        using var dnsOnly = Pair.Pki.Issue(KeyKind.EcdsaP256, ["127.0.0.1"]);   // a DNS SAN that looks like an IP
        Assert.Equal(AlertDescription.BadCertificate, Refused(dnsOnly, "127.0.0.1").Alert);
    }

    [Fact]
    public void Expired_Is_Certificate_Expired_With_Date()
    {
        var now = DateTimeOffset.UtcNow;
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"], now.AddDays(-30), now.AddDays(-3));
        var e = Refused(cred);
        Assert.Equal(AlertDescription.CertificateExpired, e.Alert);
        Assert.Matches(@"^certificate for example\.test expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, [23] days ago$", e.Message);
    }

    [Fact]
    public void Not_Yet_Valid_Is_Certificate_Expired()
    {
        var now = DateTimeOffset.UtcNow;
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"], now.AddDays(2), now.AddDays(90));
        var e = Refused(cred);
        Assert.Equal(AlertDescription.CertificateExpired, e.Alert);
        Assert.StartsWith("certificate for example.test is not valid until", e.Message);
    }

    [Fact]
    public void Injected_Clock_Decides_Validity()
    {
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var future = new FixedTime(DateTimeOffset.UtcNow.AddYears(10));
        var e = Refused(cred, client: Pair.Client() with { TimeProvider = future });
        Assert.Equal(AlertDescription.CertificateExpired, e.Alert);
    }

    [Fact]
    public void Untrusted_Root_Is_Unknown_Ca()
    {
        using var cred = new TestPki("Untrusted").Issue(KeyKind.EcdsaP256, ["example.test"]);
        var e = Refused(cred);
        Assert.Equal(AlertDescription.UnknownCa, e.Alert);
        Assert.StartsWith("certificate for example.test is not trusted", e.Message);
    }

    [Fact]
    public void Missing_Intermediate_Is_Unknown_Ca()
    {
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"], includeIntermediate: false);
        var e = Refused(cred);
        Assert.Equal(AlertDescription.UnknownCa, e.Alert);
        Assert.Contains("missing intermediate", e.Message);
    }

    [Fact]
    public void Client_Certificate_Used_As_Server_Certificate_Is_Refused()
    {
        using var cred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"], clientAuth: true);
        var e = Refused(cred);
        Assert.Equal(AlertDescription.UnsupportedCertificate, e.Alert);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
