using System.Net;
using System.Net.Sockets;
using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Tessera.Wire;
using Xunit;

namespace Tessera.Scan.Tests;

/// <summary>The scanner as a library: one call scans a server and returns the report a program can read and grade; failures to scan are typed.</summary>
public sealed class ScannerLibraryTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-scan-lib-").FullName;
    private readonly CertificateIssuer _root = CertificateIssuer.CreateRoot("Scan Library Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ScanAsync_Of_An_OpenSsl_Server_Reports_What_It_Offers_And_A_Grade()
    {
        using var leaf = _root.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        var cert = Path.Combine(_folder, "leaf.pem");
        var key = Path.Combine(_folder, "leaf.key");
        File.WriteAllText(cert, leaf.CertificatePem);
        File.WriteAllText(key, leaf.KeyPem);
        var port = Ports.Free();
        // TLS 1.2 and 1.3 only, ECDHE with AES-GCM and ChaCha20 for TLS 1.2: what a modern server offers.
        using var server = Peer.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {cert} -key {key} -no_ssl3 -no_tls1 -no_tls1_1 " +
            "-cipher ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305 -www -quiet");
        (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10))).Dispose();

        var options = new ScanOptions { Target = new HostPort("unused", 1), ServerName = "localhost", Trust = TrustStore.FromCertificates(_root.Certificate) };
        var report = await Scanner.ScanAsync("127.0.0.1", port, options).WaitAsync(Timeout);

        Assert.Equal($"127.0.0.1:{port}", report.Target);
        Assert.True(report.Supports(ProtocolVersion.Tls13));
        Assert.True(report.Supports(ProtocolVersion.Tls12));
        Assert.False(report.Supports(ProtocolVersion.Tls11));
        Assert.False(report.Supports(ProtocolVersion.Tls10));
        var tls12 = report.SuitesFor(ProtocolVersion.Tls12)!;
        Assert.Equal(3, tls12.Accepted.Count);
        Assert.All(tls12.Accepted, a => Assert.True(a.Info.IsForwardSecret && a.Info.IsAead, a.Info.IanaName));
        Assert.Contains(report.SuitesFor(ProtocolVersion.Tls13)!.Accepted, a => a.Info.IanaName == "TLS_AES_128_GCM_SHA256");
        var chain = report.Chains[0];
        Assert.True(chain.NameMatches);
        Assert.True(chain.Verdict("webpki")!.Trusted, chain.Verdict("webpki")!.Problem);
        Assert.Equal("CN=localhost", chain.Certificates[0].Subject);

        var grade = Grader.Grade(report);
        Assert.StartsWith("A", grade.Grade, StringComparison.Ordinal);   // no HSTS (not HTTP): A, not A+
        Assert.DoesNotContain(Grader.Findings(report, grade), f => f.Severity is Severity.Critical or Severity.High);
    }

    [Fact]
    public async Task A_Closed_Port_Is_A_Connect_Failure_Naming_The_Target()
    {
        var port = Ports.Free();
        var e = await Assert.ThrowsAsync<ScanException>(() => Scanner.ScanAsync("127.0.0.1", port).WaitAsync(Timeout));
        Assert.Equal(ScanFailure.Connect, e.Failure);
        Assert.Equal($"could not connect to 127.0.0.1:{port}: connection refused", e.Message);
    }

    [Fact]
    public async Task A_Server_That_Speaks_No_Tls_Is_A_NoTls_Failure()
    {
        // A plain-text service: answers every connection with a line and closes, whatever was sent.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var answering = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    await client.GetStream().WriteAsync("220 plain text here\r\n"u8.ToArray(), stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var e = await Assert.ThrowsAsync<ScanException>(() => Scanner.ScanAsync("127.0.0.1", port, new ScanOptions { Target = new HostPort("127.0.0.1", port), ProbeTimeout = TimeSpan.FromSeconds(2) }).WaitAsync(Timeout));
        Assert.Equal(ScanFailure.NoTls, e.Failure);
        Assert.StartsWith($"127.0.0.1:{port} accepted no SSL or TLS hello", e.Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await answering.WaitAsync(Timeout);
    }
}
