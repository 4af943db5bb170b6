using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>CertificateRequest / client Certificate / CertificateVerify in memory.</summary>
public sealed class MutualTlsTests
{
    private static readonly TestPki ClientPki = new("Client CA");

    [Theory]
    [InlineData(KeyKind.EcdsaP256)]
    [InlineData(KeyKind.Rsa2048)]
    [InlineData(KeyKind.Ed25519)]
    public void Client_Certificate_Is_Verified_And_Exposed(KeyKind key)
    {
        using var serverCred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        using var clientCred = ClientPki.Issue(key, ["client.example.test"], clientAuth: true);
        var server = Pair.Server(serverCred) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore };
        var (c, s) = Pair.Connect(Pair.Client() with { ClientCertificate = clientCred }, server);
        Assert.Equal(clientCred.Leaf.RawData, s.PeerCertificates[0].RawData);
        Pair.Exchange(c, s, [1, 2, 3]);
    }

    [Fact]
    public void Missing_Client_Certificate_Is_Certificate_Required()
    {
        using var serverCred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var server = Pair.Server(serverCred) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore };
        var c = TlsConnection.CreateClient(Pair.Client(), "example.test");
        var s = TlsConnection.CreateServer(server);
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.CertificateRequired, e.Alert);
        Assert.Contains("requires", e.Message);
    }

    [Fact]
    public void Optional_Mode_Accepts_A_Client_Without_Certificate()
    {
        using var serverCred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var server = Pair.Server(serverCred) with { ClientCertificateMode = ClientCertificateMode.Optional, ClientTrustStore = ClientPki.TrustStore };
        var (_, s) = Pair.Connect(Pair.Client(), server);
        Assert.Empty(s.PeerCertificates);
    }

    [Fact]
    public void Client_Certificate_From_Another_CA_Is_Unknown_Ca()
    {
        using var serverCred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        using var stranger = new TestPki("Stranger").Issue(KeyKind.EcdsaP256, ["client"], clientAuth: true);
        var server = Pair.Server(serverCred) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore };
        var c = TlsConnection.CreateClient(Pair.Client() with { ClientCertificate = stranger }, "example.test");
        var s = TlsConnection.CreateServer(server);
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.UnknownCa, e.Alert);
    }

    [Fact]
    public void Selector_Sees_The_Servers_Request()
    {
        using var serverCred = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        using var clientCred = ClientPki.Issue(KeyKind.EcdsaP256, ["client"], clientAuth: true);
        ClientCertificateRequestInfo? seen = null;
        var client = Pair.Client() with { ClientCertificateSelector = info => { seen = info; return clientCred; } };
        var server = Pair.Server(serverCred) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore };
        Pair.Connect(client, server);
        Assert.NotNull(seen);
        Assert.Contains(SignatureScheme.EcdsaSecp256r1Sha256, seen!.SignatureSchemes);
        Assert.Single(seen.CertificateAuthorities);
    }
}
