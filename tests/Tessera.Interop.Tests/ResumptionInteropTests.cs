using System.Text;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Interop.Tests;

/// <summary>Session resumption (TLS 1.3 and 1.2) and 0-RTT against OpenSSL and GnuTLS, both directions.</summary>
public sealed class ResumptionInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    private static TesseraServer Server() => new(new TlsServerOptions
    {
        Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
    });

    public static TheoryData<string> Versions() => ["1.3", "1.2"];

    private static ProtocolVersion Version(string v) => v == "1.3" ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12;
    private static string OpenSslFlag(string v) => v == "1.3" ? "-tls1_3" : "-tls1_2";
    private static string OpenSslName(string v) => v == "1.3" ? "TLSv1.3" : "TLSv1.2";
    private static string GnuTlsPriority(string v) => v == "1.3" ? "NORMAL:-VERS-ALL:+VERS-TLS1.3" : "NORMAL:-VERS-ALL:+VERS-TLS1.2";

    /// <summary>Two connections with one options object: the first full, the second resumed, each echoing a line.</summary>
    private static async Task AssertSecondConnectionResumesAsync(int port, string version, string sent, int expect, Action<byte[]> checkEcho)
    {
        var options = TesseraClient.Options();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var tls = await TesseraClient.ConnectAsync(port, options);
            // Reading the echo also reads the session tickets sent before it.
            checkEcho(await TesseraClient.ExchangeAsync(tls, Encoding.ASCII.GetBytes(sent), expect, Timeout));
            Assert.Equal(Version(version), tls.Connection.NegotiatedVersion);
            Assert.Equal(attempt == 1, tls.Connection.WasResumed);
            await tls.ShutdownAsync();
        }
    }

    [Theory]
    [InlineData("1.3", "")]
    [InlineData("1.2", "")]               // session tickets (RFC 5077)
    [InlineData("1.2", "-no_ticket")]     // session IDs
    public async Task TesseraClient_Resumes_Against_OpenSslServer(string version, string mode)
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} {OpenSslFlag(version)} -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -rev -naccept 2 {mode}");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await AssertSecondConnectionResumesAsync(port, version, "resume\n", 7, back => Assert.Equal("emuser\n", Encoding.ASCII.GetString(back)));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task TesseraClient_Resumes_Against_GnuTlsServer(string version)
    {
        var port = Ports.Free();
        using var server = Peer.Start("gnutls-serv",
            $"--echo --crlf -p {port} --x509certfile {Pki.CertFile(CertKind.EcdsaP256)} --x509keyfile {Pki.KeyFile(CertKind.EcdsaP256)} --priority {GnuTlsPriority(version)}");
        await server.WaitForOutputAsync("listening", Timeout);
        await AssertSecondConnectionResumesAsync(port, version, "resume\n", 6, back => Assert.StartsWith("resume", Encoding.ASCII.GetString(back), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task OpenSslClient_SessOut_SessIn_Resumes_Against_TesseraServer(string version)
    {
        await using var server = Server();
        var session = Path.Combine(Path.GetTempPath(), $"tessera-sess-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        try
        {
            foreach (var (flag, reused) in new[] { ($"-sess_out {session}", false), ($"-sess_in {session}", true) })
            {
                using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} {OpenSslFlag(version)} -servername localhost -CAfile {Pki.CaFile} {flag}");
                await client.StandardInput.WriteAsync("ping\n"u8.ToArray());
                await client.StandardInput.FlushAsync();
                await client.WaitForOutputAsync("ping", Timeout);   // the echo; the tickets came before it
                client.StandardInput.Close();
                await client.WaitForExitAsync(Timeout);
                Assert.Contains($"{(reused ? "Reused" : "New")}, {OpenSslName(version)}", client.AllOutput, StringComparison.Ordinal);
            }
            Assert.False(server.Connections[0].WasResumed);
            Assert.True(server.Connections[1].WasResumed);
        }
        finally
        {
            File.Delete(session);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task GnuTlsClient_Resume_Against_TesseraServer(string version)
    {
        await using var server = Server();
        using var client = Peer.Start("gnutls-cli", $"-p {server.Port} --x509cafile {Pki.CaFile} --priority {GnuTlsPriority(version)} --resume 127.0.0.1");
        client.StandardInput.Close();
        await client.WaitForExitAsync(Timeout);
        Assert.Contains("This is a resumed session", client.AllOutput, StringComparison.Ordinal);
        Assert.Contains(server.Connections, c => c.WasResumed && c.NegotiatedVersion == Version(version));
    }

    [Fact]
    public async Task TesseraClient_EarlyData_AcceptedBy_OpenSslServer()
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} -tls1_3 -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -early_data -naccept 2");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        var options = TesseraClient.Options();
        await using (var first = await TesseraClient.ConnectAsync(port, options))
        {
            // s_server sends what is typed on its stdin; reading that line also reads the tickets sent before it.
            await server.StandardInput.WriteAsync("typed\n"u8.ToArray());
            await server.StandardInput.FlushAsync();
            var buffer = new byte[64];
            using var cts = new CancellationTokenSource(Timeout);
            var n = await first.ReadAsync(buffer, cts.Token);
            Assert.StartsWith("typed", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
            await first.ShutdownAsync();
        }
        var tcp = await Ports.ConnectAsync(port, Timeout);
        await using var tls = new TlsStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(options, "localhost", "zero-rtt hello\n"u8.ToArray());
        Assert.True(tls.Connection.WasResumed);
        Assert.True(tls.Connection.EarlyDataAccepted);
        await server.WaitForOutputAsync("zero-rtt hello", Timeout);
    }

    [Fact]
    public async Task OpenSslClient_EarlyData_AcceptedBy_TesseraServer()
    {
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
            MaxEarlyData = 16384,
        });
        var session = Path.Combine(Path.GetTempPath(), $"tessera-sess-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        var early = Path.Combine(Path.GetTempPath(), $"tessera-early-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            using (var first = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} -tls1_3 -CAfile {Pki.CaFile} -sess_out {session}"))
            {
                await first.StandardInput.WriteAsync("ping\n"u8.ToArray());
                await first.StandardInput.FlushAsync();
                await first.WaitForOutputAsync("ping", Timeout);
                first.StandardInput.Close();
                await first.WaitForExitAsync(Timeout);
            }
            await File.WriteAllTextAsync(early, "zero-rtt from openssl\n");
            using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} -tls1_3 -CAfile {Pki.CaFile} -sess_in {session} -early_data {early}");
            await client.WaitForOutputAsync("zero-rtt from openssl", Timeout);   // echoed back by the Tessera server
            client.StandardInput.Close();
            await client.WaitForExitAsync(Timeout);
            Assert.Contains("Early data was accepted", client.AllOutput, StringComparison.Ordinal);
            var conn = server.Connections[^1];
            Assert.True(conn.EarlyDataAccepted);
            Assert.Equal("zero-rtt from openssl\n".Length, conn.EarlyDataReceived);
        }
        finally
        {
            File.Delete(session);
            File.Delete(early);
        }
    }
}
