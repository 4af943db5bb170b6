using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Interop.Tests;

/// <summary>Tessera against .NET's SslStream (OpenSSL underneath on Linux), TLS 1.3 and TLS 1.2, 1 MiB echo.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SslStreamInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    public static TheoryData<CipherSuite, CertKind> Cases() => new()
    {
        { CipherSuite.TlsAes128GcmSha256, CertKind.EcdsaP256 },
        { CipherSuite.TlsAes256GcmSha384, CertKind.EcdsaP384 },
        { CipherSuite.TlsChaCha20Poly1305Sha256, CertKind.Rsa2048 },
    };

    public static TheoryData<CipherSuite> Tls12Cases() => new(Matrix12.Suites);

    private static TlsCipherSuite Map(CipherSuite s) => s switch
    {
        CipherSuite.TlsAes128GcmSha256 => TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TlsAes256GcmSha384 => TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TlsChaCha20Poly1305Sha256 => TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 => TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384 => TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256 => TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TlsEcdheRsaWithAes128GcmSha256 => TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TlsEcdheRsaWithAes256GcmSha384 => TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256 => TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task TesseraClient_To_SslStreamServer(CipherSuite suite, CertKind cert) =>
        TesseraClientToSslStreamAsync(SslProtocols.Tls13, suite, cert, ProtocolVersion.Tls13);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task SslStreamClient_To_TesseraServer(CipherSuite suite, CertKind cert) =>
        SslStreamClientToTesseraAsync(SslProtocols.Tls13, suite, cert, ProtocolVersion.Tls13);

    [Theory]
    [MemberData(nameof(Tls12Cases))]
    public Task TesseraClient_To_SslStreamServer_Tls12(CipherSuite suite) =>
        TesseraClientToSslStreamAsync(SslProtocols.Tls12, suite, Matrix12.CertFor(suite), ProtocolVersion.Tls12);

    [Theory]
    [MemberData(nameof(Tls12Cases))]
    public Task SslStreamClient_To_TesseraServer_Tls12(CipherSuite suite) =>
        SslStreamClientToTesseraAsync(SslProtocols.Tls12, suite, Matrix12.CertFor(suite), ProtocolVersion.Tls12);

    [Fact]
    public Task TesseraClient_To_SslStreamServer_Default_Negotiates13() =>
        TesseraClientToSslStreamAsync(SslProtocols.None, null, CertKind.EcdsaP256, ProtocolVersion.Tls13);

    [Fact]
    public Task SslStreamClient_To_TesseraServer_Default_Negotiates13() =>
        SslStreamClientToTesseraAsync(SslProtocols.None, null, CertKind.EcdsaP256, ProtocolVersion.Tls13);

    private static async Task TesseraClientToSslStreamAsync(SslProtocols protocols, CipherSuite? suite, CertKind cert, ProtocolVersion expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var certificate = X509Certificate2.CreateFromPemFile(Pki.CertFile(cert), Pki.KeyFile(cert));
        var serverTask = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync();
            await using var ssl = new SslStream(tcp.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocols,
                CipherSuitesPolicy = suite is { } s ? new CipherSuitesPolicy([Map(s)]) : null,
            });
            var buffer = new byte[32768];
            int n;
            while ((n = await ssl.ReadAsync(buffer)) > 0) await ssl.WriteAsync(buffer.AsMemory(0, n));
            return ssl.NegotiatedCipherSuite;
        });
        await using (var tls = await TesseraClient.ConnectAsync(port, TesseraClient.Options()))
        {
            var data = Payload.Random();
            Assert.Equal(data, await TesseraClient.ExchangeAsync(tls, data, data.Length, Timeout));
            Assert.Equal(expected, tls.Connection.NegotiatedVersion);
            if (suite is { } s) Assert.Equal(s, tls.Connection.CipherSuite);
            await tls.ShutdownAsync();
        }
        var negotiated = await serverTask.WaitAsync(Timeout);
        if (suite is { } chosen) Assert.Equal(Map(chosen), negotiated);
    }

    private static async Task SslStreamClientToTesseraAsync(SslProtocols protocols, CipherSuite? suite, CertKind cert, ProtocolVersion expected)
    {
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(cert), Pki.KeyFile(cert))] });
        using var tcp = await Ports.ConnectAsync(server.Port, Timeout);
        await using var ssl = new SslStream(tcp.GetStream());
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Pki.CaFile));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = suite is { } s ? new CipherSuitesPolicy([Map(s)]) : null,
            // Offline CI: no OCSP/CRL fetches.
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
        });
        var data = Payload.Random();
        var reader = Task.Run(async () =>
        {
            var received = new MemoryStream();
            var buffer = new byte[65536];
            while (received.Length < data.Length)
            {
                var n = await ssl.ReadAsync(buffer);
                if (n == 0) break;
                received.Write(buffer, 0, n);
            }
            return received.ToArray();
        });
        await ssl.WriteAsync(data);
        Assert.Equal(data, await reader.WaitAsync(Timeout));
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(expected, conn.NegotiatedVersion);
        if (suite is { } chosen) Assert.Equal(chosen, conn.CipherSuite);
        Assert.Equal("localhost", conn.ServerName);
        await ssl.ShutdownAsync();
    }
}
