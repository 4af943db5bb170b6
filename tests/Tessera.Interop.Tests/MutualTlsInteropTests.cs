using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Interop.Tests;

/// <summary>Mutual TLS against OpenSSL, GnuTLS and SslStream, TLS 1.3 and 1.2, both roles; missing and untrusted client certificates refused.</summary>
public sealed class MutualTlsInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    public static TheoryData<string> Versions() => ["1.3", "1.2"];

    private static string OpenSslFlag(string version) => version == "1.3" ? "-tls1_3" : "-tls1_2";
    private static ProtocolVersion Version(string version) => version == "1.3" ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12;

    private static TesseraServer RequiringServer() => new(new TlsServerOptions
    {
        Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
        ClientCertificateMode = ClientCertificateMode.Required,
        ClientTrustStore = TrustStore.FromPemFile(Pki.CaFile),
    });

    private static TlsClientOptions ClientWith(string? certificate) => TesseraClient.Options() with
    {
        ClientCertificate = certificate is null ? null : TlsCredential.FromPemFiles(Pki.CertFile(certificate), Pki.KeyFile(certificate)),
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task OpenSslClient_WithCertificate_To_TesseraServer(string version)
    {
        await using var server = RequiringServer();
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} {OpenSslFlag(version)} -cert {Pki.CertFile("client")} -key {Pki.KeyFile("client")} -CAfile {Pki.CaFile} -verify_return_error -quiet");
        var data = Encoding.ASCII.GetBytes("mutual\n");
        await client.StandardInput.WriteAsync(data);
        await client.StandardInput.FlushAsync();
        await client.WaitForStdoutBytesAsync(data.Length, Timeout);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(Version(version), conn.NegotiatedVersion);
        Assert.Equal("CN=client", conn.PeerCertificates[0].Subject);
    }

    [Theory]
    [InlineData("1.3", AlertDescription.CertificateRequired, "certificate required")]
    [InlineData("1.2", AlertDescription.HandshakeFailure, "handshake failure")]
    public async Task OpenSslClient_WithoutCertificate_IsRefused(string version, AlertDescription alert, string openSslSays)
    {
        await using var server = RequiringServer();
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} {OpenSslFlag(version)} -CAfile {Pki.CaFile}");
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.Equal(alert, failure.Alert);
        Assert.Contains("requires one", failure.Message, StringComparison.Ordinal);
        await client.WaitForOutputAsync(openSslSays, Timeout);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task OpenSslClient_FromTheWrongCa_IsRefused_WithUnknownCa(string version)
    {
        await using var server = RequiringServer();
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} {OpenSslFlag(version)} -cert {Pki.CertFile("stranger")} -key {Pki.KeyFile("stranger")} -CAfile {Pki.CaFile}");
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.Equal(AlertDescription.UnknownCa, failure.Alert);
        Assert.Contains("CN=Other CA", failure.Message, StringComparison.Ordinal);
        await client.WaitForOutputAsync("unknown ca", Timeout);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task GnuTlsClient_WithCertificate_To_TesseraServer(string version)
    {
        await using var server = RequiringServer();
        var priority = version == "1.3" ? "NORMAL:-VERS-ALL:+VERS-TLS1.3" : "NORMAL:-VERS-ALL:+VERS-TLS1.2";
        using var client = Peer.Start("gnutls-cli",
            $"-p {server.Port} --x509cafile {Pki.CaFile} --x509certfile {Pki.CertFile("client-rsa")} --x509keyfile {Pki.KeyFile("client-rsa")} --priority {priority} 127.0.0.1");
        await client.StandardInput.WriteAsync("mutual\n"u8.ToArray());
        await client.StandardInput.FlushAsync();
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(Version(version), conn.NegotiatedVersion);
        Assert.Equal("CN=client-rsa", conn.PeerCertificates[0].Subject);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task TesseraClient_WithCertificate_To_OpenSslServer_Verify(string version)
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} {OpenSslFlag(version)} -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} " +
            $"-Verify 1 -CAfile {Pki.CaFile} -verify_return_error -rev -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await TesseraClient.ConnectAsync(port, ClientWith("client"));
        var back = await TesseraClient.ExchangeAsync(tls, "mutual\n"u8.ToArray(), 7, Timeout);
        Assert.Equal("lautum\n", Encoding.ASCII.GetString(back));
        Assert.Equal(Version(version), tls.Connection.NegotiatedVersion);
        Assert.Equal("CN=client", tls.Connection.LocalCertificate!.Leaf.Subject);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task TesseraClient_WithoutCertificate_To_OpenSslServer_Verify_IsRefused(string version)
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} {OpenSslFlag(version)} -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} " +
            $"-Verify 1 -CAfile {Pki.CaFile} -verify_return_error -rev -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        // TLS 1.3 clients finish first and learn of the refusal on their first read; TLS 1.2 clients during the handshake.
        var e = await Assert.ThrowsAsync<TlsException>(async () =>
        {
            await using var tls = await TesseraClient.ConnectAsync(port, ClientWith(null));
            await TesseraClient.ExchangeAsync(tls, "mutual\n"u8.ToArray(), 7, Timeout);
        });
        Assert.True(e.IsFromPeer);
        Assert.Equal(version == "1.3" ? AlertDescription.CertificateRequired : AlertDescription.HandshakeFailure, e.Alert);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task TesseraClient_WithCertificate_To_SslStream_ClientCertificateRequired(SslProtocols protocol)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var certificate = X509Certificate2.CreateFromPemFile(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256));
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Pki.CaFile));
        var serverTask = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync();
            await using var ssl = new SslStream(tcp.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocol,
                ClientCertificateRequired = true,
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            });
            var buffer = new byte[64];
            var n = await ssl.ReadAsync(buffer);
            await ssl.WriteAsync(buffer.AsMemory(0, n));
            return ssl.RemoteCertificate?.Subject;
        });
        await using (var tls = await TesseraClient.ConnectAsync(port, ClientWith("client")))
        {
            Assert.Equal("hello", Encoding.ASCII.GetString(await TesseraClient.ExchangeAsync(tls, "hello"u8.ToArray(), 5, Timeout)));
        }
        Assert.Equal("CN=client", await serverTask.WaitAsync(Timeout));
    }
}
