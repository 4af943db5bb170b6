using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// Bulk transfer after the handshake: 1 MiB as 64 writes of 16 KiB over <see cref="InMemoryDuplex"/>, Tessera's TlsStream
/// against SslStream with the same TLS 1.3 suite. "one-way" sends client to server (allocation per operation / 64 = per
/// record); "echo" has the server send each 16 KiB back before the client writes the next (2 MiB on the wire, 128 records).
/// </summary>
[MemoryDiagnoser]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // CipherSuitesPolicy pins SslStream's suite; not on Windows
public class BulkBenchmarks
{
    private const int WriteSize = 16384;
    private const int Writes = 64;

    [Params("AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305")]
    public string Aead { get; set; } = "AES-128-GCM";

    [Params("one-way", "echo")]
    public string Pattern { get; set; } = "one-way";

    private Stream _tesseraClient = null!, _tesseraServer = null!, _sslClient = null!, _sslServer = null!;
    private readonly byte[] _data = new byte[WriteSize];
    private readonly byte[] _sink = new byte[64 * 1024];
    private readonly byte[] _back = new byte[WriteSize];

    [GlobalSetup]
    public void Setup()
    {
        var pki = new BenchPki();
        var (suite, sslSuite) = Aead switch
        {
            "AES-128-GCM" => (CipherSuite.TlsAes128GcmSha256, TlsCipherSuite.TLS_AES_128_GCM_SHA256),
            "AES-256-GCM" => (CipherSuite.TlsAes256GcmSha384, TlsCipherSuite.TLS_AES_256_GCM_SHA384),
            _ => (CipherSuite.TlsChaCha20Poly1305Sha256, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256),
        };
        var (c, s) = InMemoryDuplex.Create();
        var tc = new TlsStream(c);
        var ts = new TlsStream(s);
        var serverTask = ts.AuthenticateAsServerAsync(new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)], TicketCount = 0 });
        tc.AuthenticateAsClientAsync(new TlsClientOptions { TrustStore = TrustStore.FromCertificates(pki.Root), CipherSuites = [suite] }, "example.test").GetAwaiter().GetResult();
        serverTask.GetAwaiter().GetResult();
        (_tesseraClient, _tesseraServer) = (tc, ts);

        var (c2, s2) = InMemoryDuplex.Create();
        var sc = new SslStream(c2);
        var ss = new SslStream(s2);
        var sslServerTask = ss.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(pki.Leaf, [pki.Intermediate], offline: true),
            EnabledSslProtocols = SslProtocols.Tls13,
            CipherSuitesPolicy = new CipherSuitesPolicy([sslSuite]),
        });
        sc.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "example.test",
            EnabledSslProtocols = SslProtocols.Tls13,
            CipherSuitesPolicy = new CipherSuitesPolicy([sslSuite]),
            CertificateChainPolicy = pki.SslStreamChainPolicy(),
        }).GetAwaiter().GetResult();
        sslServerTask.GetAwaiter().GetResult();
        (_sslClient, _sslServer) = (sc, ss);
    }

    [Benchmark(Baseline = true, Description = "SslStream 1 MiB")]
    public Task SslStream() => TransferAsync(_sslClient, _sslServer);

    [Benchmark(Description = "Tessera 1 MiB")]
    public Task Tessera() => TransferAsync(_tesseraClient, _tesseraServer);

    private Task TransferAsync(Stream client, Stream server) => Pattern == "echo" ? EchoAsync(client, server) : OneWayAsync(client, server);

    private async Task OneWayAsync(Stream client, Stream server)
    {
        var reader = ReadAsync(server, WriteSize * Writes);
        for (var i = 0; i < Writes; i++) await client.WriteAsync(_data);
        await reader;
    }

    private async Task ReadAsync(Stream server, int total)
    {
        var received = 0;
        while (received < total) received += await server.ReadAsync(_sink);
    }

    private async Task EchoAsync(Stream client, Stream server)
    {
        var echo = EchoServerAsync(server, WriteSize * Writes);
        for (var i = 0; i < Writes; i++)
        {
            await client.WriteAsync(_data);
            await client.ReadExactlyAsync(_back);
        }
        await echo;
    }

    private async Task EchoServerAsync(Stream server, int total)
    {
        var echoed = 0;
        while (echoed < total)
        {
            var n = await server.ReadAsync(_sink.AsMemory(0, WriteSize));
            if (n == 0) throw new EndOfStreamException("the client closed during the echo");
            await server.WriteAsync(_sink.AsMemory(0, n));
            echoed += n;
        }
    }
}
