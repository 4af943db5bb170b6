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

/// <summary>Tessera against .NET's SslStream (OpenSSL underneath on Linux), TLS 1.3, 1 MiB echo.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SslStreamInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    public static TheoryData<CipherSuite, CertKind> Cases() => new()
    {
        { CipherSuite.TlsAes128GcmSha256, CertKind.EcdsaP256 },
        { CipherSuite.TlsAes256GcmSha384, CertKind.EcdsaP384 },
        { CipherSuite.TlsChaCha20Poly1305Sha256, CertKind.Rsa2048 },
    };

    private static TlsCipherSuite Map(CipherSuite s) => s switch
    {
        CipherSuite.TlsAes128GcmSha256 => TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TlsAes256GcmSha384 => TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        _ => TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TesseraClient_To_SslStreamServer(CipherSuite suite, CertKind cert)
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
                EnabledSslProtocols = SslProtocols.Tls13,
                CipherSuitesPolicy = new CipherSuitesPolicy([Map(suite)]),
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
            Assert.Equal(suite, tls.Connection.CipherSuite);
            await tls.ShutdownAsync();
        }
        Assert.Equal(Map(suite), await serverTask.WaitAsync(Timeout));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SslStreamClient_To_TesseraServer(CipherSuite suite, CertKind cert)
    {
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(cert), Pki.KeyFile(cert))] });
        using var tcp = await Ports.ConnectAsync(server.Port, Timeout);
        await using var ssl = new SslStream(tcp.GetStream());
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Pki.CaFile));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            CipherSuitesPolicy = new CipherSuitesPolicy([Map(suite)]),
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
        });
        Assert.Equal(SslProtocols.Tls13, ssl.SslProtocol);
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
        Assert.Equal(suite, conn.CipherSuite);
        Assert.Equal("localhost", conn.ServerName);
        await ssl.ShutdownAsync();
    }
}
