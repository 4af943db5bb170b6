using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Tessera.Scan.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Scan.Tests;

/// <summary>
/// The scanner against real servers (openssl s_server, nginx, gnutls-serv), with sslscan and testssl.sh run against the
/// same server as referees: the versions, the suites per version and the groups per version must be the same sets,
/// and features both see must agree; and the grades those servers earn.
/// </summary>
public sealed class ScannerAgainstPeersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static ScanPki Pki => ScanPki.Shared;

    [Fact]
    public async Task Scan_Of_OpenSslServer_Defaults_Matches_Sslscan()
    {
        using var server = await ScanPeer.OpenSslAsync(Pki.Certificate("rsa2048"));
        var report = await ScanAsync(server.Port);
        await AssertMatchesSslscanAsync(report, server.Port);
        Assert.True(report.Supports(ProtocolVersion.Tls13));
        Assert.Equal(true, report.FallbackScsvHonoured);
        Assert.Equal(true, report.DowngradeSentinel);
        Assert.Equal(true, report.ExtendedMasterSecret);
        Assert.Equal(true, report.SecureRenegotiation);
    }

    [Fact]
    public async Task Scan_Of_OpenSslServer_With_EcdsaKey_Matches_Sslscan_OnTls12Groups()
    {
        using var server = await ScanPeer.OpenSslAsync(Pki.Certificate("ecdsa-p256"));
        var report = await ScanAsync(server.Port);
        await AssertMatchesSslscanAsync(report, server.Port);
        Assert.Contains(report.Groups, g => g.Version == ProtocolVersion.Tls12 && g.Accepted.Count > 0);
    }

    [Fact]
    public async Task Scan_Of_LegacyNginx_Matches_Sslscan_AndSeesTls10_Cbc_And_RsaKeyExchange()
    {
        using var nginx = await ScanPeer.NginxAsync(ScanPeer.LegacyNginx, Pki.Certificate("rsa2048"));
        var report = await ScanAsync(nginx.Port);
        await AssertMatchesSslscanAsync(report, nginx.Port);
        Assert.True(report.Supports(ProtocolVersion.Tls10));
        Assert.True(report.Supports(ProtocolVersion.Tls11));
        Assert.True(report.Supports(ProtocolVersion.Tls13));
        Assert.Contains(report.SuitesFor(ProtocolVersion.Tls10)!.Accepted, s => s.Info.IsCbc);
        Assert.Contains(report.SuitesFor(ProtocolVersion.Tls12)!.Accepted, s => s.Info.KeyExchange == "RSA");
        Assert.Equal(true, report.SuitesFor(ProtocolVersion.Tls12)!.ServerOrder);
        Assert.Equal(true, report.FallbackScsvHonoured);
    }

    [Fact]
    public async Task Scan_Of_GnutlsServ_Matches_Sslscan()
    {
        using var gnutls = await ScanPeer.GnutlsAsync(Pki.Certificate("rsa2048"));
        var report = await ScanAsync(gnutls.Port);
        await AssertMatchesSslscanAsync(report, gnutls.Port);
        // GnuTLS's NORMAL priority: TLS 1.3 suites include AES-128-CCM, which OpenSSL's defaults leave out.
        Assert.Contains(report.SuitesFor(ProtocolVersion.Tls13)!.Accepted, s => s.Info.IanaName == "TLS_AES_128_CCM_SHA256");
    }

    [Fact]
    public async Task Scan_Reads_The_Chain_And_Staple_Over_Tls13_And_Tls12_AndTrustsItUnderBothProfiles()
    {
        var pki = InteropPki.Shared;
        var name = InteropPki.Name(CertKind.Rsa2048);
        var staple = pki.OcspFile(Path.Combine(pki.Directory, name));
        foreach (var flag in new[] { "", "-no_tls1_3" })
        {
            using var server = await ScanPeer.OpenSslAsync(Path.Combine(pki.Directory, name), $"-status_file {staple} {flag}");
            var report = await ScanAsync(server.Port, TrustStore.FromPemFile(pki.CaFile));
            var chain = report.Chains[0];
            Assert.Equal(flag == "" ? "TLS 1.3 handshake" : "TLS 1.2 server flight", chain.Source);
            Assert.Equal("localhost", chain.Sni);
            Assert.True(chain.NameMatches);
            Assert.Equal("RSA", chain.Certificates[0].KeyAlgorithm);
            Assert.Equal(2048, chain.Certificates[0].KeyBits);
            Assert.All(chain.Verdicts, v => Assert.True(v.Trusted, v.Problem));
            Assert.Equal("good", chain.Staple?.Status);
            Assert.NotNull(chain.Staple!.NextUpdate);
            // The same server without SNI: the same chain, read a second time.
            Assert.Equal(2, report.Chains.Count);
            Assert.Null(report.Chains[1].Sni);
            Assert.True(report.Chains[0].HasSameLeafAs(report.Chains[1]));
        }
    }

    [Fact]
    public async Task Scan_Judges_An_Untrusted_Chain_And_A_Wrong_Name_Separately()
    {
        using var server = await ScanPeer.OpenSslAsync(Pki.Certificate("ecdsa-p256"));
        var report = await ScanAsync(server.Port, serverName: "wrong.example");
        var chain = report.Chains[0];
        Assert.False(chain.NameMatches);
        Assert.All(chain.Verdicts, v => Assert.False(v.Trusted));   // the system store does not hold the test CA
        var trusted = await ScanAsync(server.Port, Pki.Trust, "wrong.example");
        Assert.False(trusted.Chains[0].NameMatches);
        Assert.All(trusted.Chains[0].Verdicts, v => Assert.True(v.Trusted, v.Problem));
    }

    [Fact]
    public async Task Scan_Agrees_With_Testssl_On_An_OpenSslServer_That_Staples()
    {
        var pki = InteropPki.Shared;
        var name = InteropPki.Name(CertKind.Rsa2048);
        var staple = pki.OcspFile(Path.Combine(pki.Directory, name));
        using var server = await ScanPeer.OpenSslAsync(Path.Combine(pki.Directory, name), $"-status_file {staple}");
        var report = await ScanAsync(server.Port);
        var testssl = await TestsslAsync(server.Port);
        // testssl's resumption line sometimes reads "Connect problem: Ticket resumption test not possible" (seen in
        // CI under load); when it says yes or no, it must agree, and openssl s_client -tls1_2 referees every time.
        if (testssl.TicketResumption is { } tickets) Assert.Equal(tickets, report.Resumption!.Tls12TicketResumed);
        Assert.True(await OpenSslResumesAsync(server.Port, byTicket: true));
        Assert.Equal(true, report.Resumption!.Tls12TicketResumed);
        // testssl's "ID" line is not the referee for session IDs: it runs that test over TLS 1.3 once it has seen a
        // TLS 1.3 ticket (where OpenSSL has no session-ID resumption) and so says "no" or "yes" depending on what it
        // saw first. openssl s_client -tls1_2 -no_ticket is.
        Assert.True(await OpenSslResumesAsync(server.Port, byTicket: false));
        Assert.Equal(true, report.Resumption.Tls12SessionIdResumed);
        Assert.Equal(testssl.OcspStapling, report.Chains[0].Staple is not null);
        Assert.Equal(testssl.SecureRenegotiation, report.SecureRenegotiation);
    }

    [Fact]
    public async Task Scan_Agrees_With_Testssl_On_LegacyNginx()
    {
        using var nginx = await ScanPeer.NginxAsync(ScanPeer.LegacyNginx, Pki.Certificate("rsa2048"));
        var report = await ScanAsync(nginx.Port);
        var testssl = await TestsslAsync(nginx.Port);
        Assert.Equal(true, testssl.FallbackScsv);
        Assert.Equal(testssl.FallbackScsv, report.FallbackScsvHonoured);
        Assert.Equal(testssl.SecureRenegotiation, report.SecureRenegotiation);
        Assert.Equal(false, testssl.OcspStapling);
        Assert.Empty(report.Chains.FindAll(c => c.Staple is not null));
        // ssl_session_tickets off: no TLS 1.2 ticket, but the session cache resumes by ID. testssl's own "ID" line is not
        // the referee (see above); openssl s_client -tls1_2 -no_ticket is.
        Assert.Equal(false, report.Resumption!.Tls12TicketIssued);
        Assert.True(await OpenSslResumesAsync(nginx.Port, byTicket: false));
        Assert.Equal(true, report.Resumption.Tls12SessionIdResumed);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("-no_anti_replay", true)]
    public async Task Scan_Sees_ZeroRtt_And_Whether_A_Replay_Is_Accepted(string flag, bool replayAccepted)
    {
        using var server = await ScanPeer.OpenSslAsync(Pki.Certificate("rsa2048"), $"-early_data -alpn h2,http/1.1 {flag}", www: false);
        var report = await ScanAsync(server.Port);
        var r = report.Resumption!;
        Assert.True(r.Tls13Tickets > 0, $"{r.Tls13Tickets} TLS 1.3 tickets");
        Assert.True(r.Tls13MaxEarlyData > 0);
        Assert.True(r.Tls13Resumed == true && r.EarlyDataAccepted == true, $"resumed {r.Tls13Resumed}, early data accepted {r.EarlyDataAccepted}");
        Assert.Equal(replayAccepted, r.ReplayedEarlyDataAccepted);
        Assert.Equal(["h2", "http/1.1"], r.Alpn);
    }

    [Fact]
    public async Task Issuance_Rules_A_Certificate_Breaks_Are_Findings_And_OpenSsl_3_0_Compresses_Nothing()
    {
        // A hand-made certificate whose CN is not among its SANs: browsers accept it, so the scan reports the BR rule as
        // an Info finding rather than a refusal. OpenSSL 3.0's s_server has no RFC 8879 support.
        var prefix = Path.Combine(Pki.Directory, "lint");
        File.WriteAllText(prefix + ".cnf", "[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=other.test\n[ext]\nsubjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n");
        using (var req = Peer.Start("openssl", $"req -x509 -config {prefix}.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 10 -keyout {prefix}.key -out {prefix}.pem"))
            Assert.Equal(0, await req.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        using var server = await ScanPeer.OpenSslAsync(prefix);
        var report = await ScanAsync(server.Port, TrustStore.FromPemFile(prefix + ".pem"));
        Assert.Contains(report.Chains[0].Certificates[0].IssuanceFindings, f => f.Contains("which is not one of its subjectAltNames as BR §7.1.4.3 requires", StringComparison.Ordinal));
        var grade = Grader.Grade(report);
        Assert.Contains(Grader.Findings(report, grade), f => f.Severity == Severity.Info && f.Text.StartsWith("Issuance rule: the certificate 'CN=other.test'", StringComparison.Ordinal));
        Assert.Empty(report.Handshake!.CertificateCompression!);
    }

    [Fact]
    public async Task Grade_Of_ModernNginx_Is_A_AndItsHstsMakesItAPlus()
    {
        var cert = Pki.Certificate("ecdsa-p256");
        using (var nginx = await ScanPeer.NginxAsync(ScanPeer.ModernNginx, cert))
        {
            var grade = Grader.Grade(await ScanAsync(nginx.Port, Pki.Trust));
            Assert.True(grade.Grade == "A", $"{grade.Grade}: {string.Join("; ", grade.Caps.Select(c => c.Reason))}");
        }
        using (var nginx = await ScanPeer.NginxAsync(ScanPeer.ModernNginx + "\nadd_header Strict-Transport-Security \"max-age=31536000\" always;", cert))
        {
            var report = await ScanAsync(nginx.Port, Pki.Trust);
            Assert.Equal(31536000, report.Hsts?.MaxAgeSeconds);
            Assert.Equal("A+", Grader.Grade(report).Grade);
        }
    }

    [Fact]
    public async Task Grade_Of_LegacyNginx_Is_Capped_At_B_With_The_Reason()
    {
        using var nginx = await ScanPeer.NginxAsync(ScanPeer.LegacyNginx, Pki.Certificate("rsa2048"));
        var grade = Grader.Grade(await ScanAsync(nginx.Port, Pki.Trust));
        Assert.Equal("B", grade.Grade);
        Assert.True(grade.Score >= 80, $"score {grade.Score}: the cap, not the score, makes the B");
        Assert.Contains(grade.Caps, c => c.Max == Letter.B && c.Reason.Contains("TLS 1.0 or 1.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grade_Of_LegacyNginx_Lists_Its_Findings_Worst_First()
    {
        using var nginx = await ScanPeer.NginxAsync(ScanPeer.LegacyNginx, Pki.Certificate("rsa2048"));
        var report = await ScanAsync(nginx.Port, Pki.Trust);
        var findings = Grader.Findings(report, Grader.Grade(report));
        Assert.Equal(Severity.Medium, findings[0].Severity);
        Assert.Contains(findings, f => f.Text.Contains("Static RSA key exchange", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grade_Of_An_Expired_Certificate_Is_T_And_Of_A_Wrong_Name_Is_M()
    {
        using (var server = await ScanPeer.OpenSslAsync(Pki.Expired()))
        {
            var grade = Grader.Grade(await ScanAsync(server.Port, Pki.Trust));
            Assert.Equal("T", grade.Grade);
            Assert.True(grade.CertificateOutcome!.Contains("expired", StringComparison.OrdinalIgnoreCase), grade.CertificateOutcome);
            Assert.Equal("A", grade.GradeIgnoringCertificate);
        }
        using var valid = await ScanPeer.OpenSslAsync(Pki.Certificate("ecdsa-p256"));
        var wrongName = Grader.Grade(await ScanAsync(valid.Port, Pki.Trust, "wrong.example"));
        Assert.Equal("M", wrongName.Grade);
        Assert.Contains("does not name wrong.example", wrongName.CertificateOutcome, StringComparison.Ordinal);
    }

    private static Task<ScanReport> ScanAsync(int port, TrustStore? trust = null, string serverName = "localhost") =>
        Scanner.ScanAsync("127.0.0.1", port, new ScanOptions { Target = new HostPort("127.0.0.1", port), ServerName = serverName, Trust = trust ?? TrustStore.System }).WaitAsync(Timeout);

    private static async Task AssertMatchesSslscanAsync(ScanReport report, int port)
    {
        using var sslscan = Peer.Start("sslscan", $"--no-colour --show-sigs --no-heartbleed --no-renegotiation --no-compression --no-check-certificate 127.0.0.1:{port}");
        Assert.Equal(0, await sslscan.WaitForExitAsync(Timeout));
        SslscanReport.AssertSameAs(SslscanReport.Parse(sslscan.AllOutput), report, compareTls12Groups: true);
    }

    /// <summary>Two `openssl s_client -tls1_2` runs (-no_ticket for a session ID), the second presenting the first's session: "Reused"?</summary>
    private static async Task<bool> OpenSslResumesAsync(int port, bool byTicket)
    {
        var session = Path.Combine(Pki.Directory, $"session-{port}-{byTicket}.pem");
        var flags = byTicket ? "-tls1_2" : "-tls1_2 -no_ticket";
        using (var first = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{port} {flags} -sess_out {session}"))
        {
            first.StandardInput.Close();
            await first.WaitForExitAsync(Timeout);
        }
        using var second = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{port} {flags} -sess_in {session}");
        second.StandardInput.Close();
        await second.WaitForExitAsync(Timeout);
        return second.AllOutput.Contains("Reused, TLSv1.2", StringComparison.Ordinal);
    }

    private static async Task<TestsslReport> TestsslAsync(int port)
    {
        using var testssl = Peer.Start("testssl", $"--quiet --color 0 --warnings off -p -S -R -Z 127.0.0.1:{port}");
        await testssl.WaitForExitAsync(Timeout);   // its exit code counts findings, not failures of the tool
        return TestsslReport.Parse(testssl.AllOutput);
    }
}
