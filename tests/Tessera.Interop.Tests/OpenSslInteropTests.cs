using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Interop.Tests.Support.Names;

namespace Tessera.Interop.Tests;

/// <summary>Tessera against OpenSSL's s_server and s_client, TLS 1.3 only, 1 MiB echoed each connection.</summary>
public sealed partial class OpenSslInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    private static Peer StartServer(int port, string extra, CertKind cert = CertKind.EcdsaP256) =>
        Peer.Start("openssl", $"s_server -accept 127.0.0.1:{port} -tls1_3 -cert {Pki.CertFile(cert)} -key {Pki.KeyFile(cert)} -rev -naccept 1 {extra}");

    /// <summary>Sends the payload as lines to s_server -rev and checks every byte that comes back.</summary>
    private static async Task<TlsStream> EchoThroughReverseServerAsync(int port, TlsClientOptions options, string host = "localhost")
    {
        var tls = await TesseraClient.ConnectAsync(port, options, host);
        var data = Payload.Random();
        var lines = Payload.AsLines(data);
        var back = await TesseraClient.ExchangeAsync(tls, lines, lines.Length, Timeout);
        Assert.Equal(data, Payload.FromLines(Payload.Unreverse(TesseraClient.Ascii(back))));
        await tls.ShutdownAsync();
        return tls;
    }

    [Theory]
    [MemberData(nameof(Matrix.Cases), MemberType = typeof(Matrix))]
    public async Task TesseraClient_To_OpenSslServer(CipherSuite suite, NamedGroup group, CertKind cert)
    {
        var port = Ports.Free();
        using var server = StartServer(port, $"-ciphersuites {OpenSslSuite(suite)} -groups {OpenSslGroup(group)}", cert);
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        var options = TesseraClient.Options(cert) with { KeyShareGroups = [group] };
        await using var tls = await EchoThroughReverseServerAsync(port, options);
        Assert.Equal(ProtocolVersion.Tls13, tls.Connection.NegotiatedVersion);
        Assert.Equal(suite, tls.Connection.CipherSuite);
        Assert.Equal(group, tls.Connection.KeyExchangeGroup);
        Assert.False(tls.Connection.HelloRetryRequested);
    }

    [Theory]
    [MemberData(nameof(Matrix.Cases), MemberType = typeof(Matrix))]
    public async Task OpenSslClient_To_TesseraServer(CipherSuite suite, NamedGroup group, CertKind cert)
    {
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(cert), Pki.KeyFile(cert))] });
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -verify_hostname localhost -tls1_3 -ciphersuites {OpenSslSuite(suite)} " +
            $"-groups {OpenSslGroup(group)} -CAfile {Pki.CaFile} -verify_return_error -quiet");
        await EchoRawThroughClientAsync(client);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(suite, conn.CipherSuite);
        Assert.Equal(group, conn.KeyExchangeGroup);
        Assert.Equal("localhost", conn.ServerName);
    }

    [Fact]
    public async Task TesseraClient_To_OpenSslServer_ForcedHelloRetryRequest()
    {
        var port = Ports.Free();
        using var server = StartServer(port, "-groups P-384");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await EchoThroughReverseServerAsync(port, TesseraClient.Options() with { KeyShareGroups = [NamedGroup.X25519] });
        Assert.True(tls.Connection.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp384r1, tls.Connection.KeyExchangeGroup);
    }

    [Fact]
    public async Task OpenSslClient_To_TesseraServer_ForcedHelloRetryRequest()
    {
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
            Groups = [NamedGroup.Secp256r1, NamedGroup.X25519],
            HelloRetryForPreferredGroup = true,
        });
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -tls1_3 -groups X25519:P-256 -CAfile {Pki.CaFile} -verify_return_error -quiet");
        await EchoRawThroughClientAsync(client);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.True(conn.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp256r1, conn.KeyExchangeGroup);
    }

    [Fact]
    public async Task TesseraClient_To_OpenSslServer_Alpn()
    {
        var port = Ports.Free();
        using var server = StartServer(port, "-alpn http/1.1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await EchoThroughReverseServerAsync(port, TesseraClient.Options() with { ApplicationProtocols = ["h2", "http/1.1"] });
        Assert.Equal("http/1.1", tls.Connection.ApplicationProtocol);
    }

    [Fact]
    public async Task OpenSslClient_To_TesseraServer_Alpn()
    {
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
            ApplicationProtocols = ["h2", "http/1.1"],
        });
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -tls1_3 -alpn http/1.1,h2 -CAfile {Pki.CaFile} -verify_return_error");
        await client.WaitForOutputAsync("ALPN protocol: h2", Timeout);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal("h2", conn.ApplicationProtocol);
    }

    [Theory]
    [InlineData("a.test", "CN=localhost")]
    [InlineData("b.test", "CN=b.test")]
    public async Task TesseraClient_To_OpenSslServer_SniSelectsCertificate(string host, string subject)
    {
        var port = Ports.Free();
        using var server = StartServer(port, $"-servername b.test -cert2 {Pki.CertFile("b")} -key2 {Pki.KeyFile("b")}");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await EchoThroughReverseServerAsync(port, TesseraClient.Options(), host);
        Assert.Equal(subject, tls.Connection.PeerCertificates[0].Subject);
    }

    [Theory]
    [InlineData("a.test", "localhost")]
    [InlineData("b.test", "b.test")]
    public async Task OpenSslClient_To_TesseraServer_SniSelectsCertificate(string host, string certificate)
    {
        var a = TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256));
        var b = TlsCredential.FromPemFiles(Pki.CertFile("b"), Pki.KeyFile("b"));
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [a, b] });
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -servername {host} -verify_hostname {host} -tls1_3 -CAfile {Pki.CaFile} -verify_return_error -quiet");
        await EchoRawThroughClientAsync(client);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(host, conn.ServerName);
        Assert.Equal($"CN={certificate}", conn.LocalCertificate!.Leaf.Subject);
    }
}
