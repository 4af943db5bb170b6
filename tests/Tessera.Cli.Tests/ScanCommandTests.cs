using System.Text.Json;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Scan;
using Tessera.Scan;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera scan` against real servers, with sslscan run against the same server as the referee: the versions, the
/// suites per version and the groups per version must be the same sets.
/// </summary>
[Collection("tessera home")]
public sealed class ScanCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Scan_Of_OpenSslServer_Defaults_Matches_Sslscan()
    {
        var cert = Path.Combine(TestHome.Path, "openssl-peer");
        await ConnectCommandTests.ServeCertificateAsync(cert);
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {cert}.pem -key {cert}.key -www -quiet");
        using (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10))) { }
        var report = await ScanAsync(port);
        await AssertMatchesSslscanAsync(report, port);
        Assert.True(report.Supports(Wire.ProtocolVersion.Tls13));
        Assert.Equal(true, report.FallbackScsvHonoured);
        Assert.Equal(true, report.DowngradeSentinel);
        Assert.Equal(true, report.ExtendedMasterSecret);
        Assert.Equal(true, report.SecureRenegotiation);
    }

    [Fact]
    public async Task Scan_Of_TesseraServe_Matches_Sslscan_AndSeesOnlyModernSuites()
    {
        await using var serve = ServeFixture.Start();
        var report = await ScanAsync(serve.Port);
        // sslscan 2.0.7 reads one handshake message per record when it looks for the TLS 1.2 curve; Tessera sends
        // Certificate, ServerKeyExchange and ServerHelloDone in one record (RFC 5246 §6.2.1 allows it), so sslscan
        // finds no TLS 1.2 group at all. The TLS 1.2 groups are compared on openssl s_server with an ECDSA key instead.
        await AssertMatchesSslscanAsync(report, serve.Port, compareTls12Groups: false);
        // RFC 8422 §5.3: a client that offers one curve only gets an ECDSA P-256 certificate if that curve is P-256.
        Assert.Equal(["secp256r1"], report.Groups.Single(g => g.Version == Wire.ProtocolVersion.Tls12).Accepted.Select(g => g.Name));
        Assert.False(report.Supports(Wire.ProtocolVersion.Tls11));
        foreach (var version in report.Suites)
            foreach (var s in version.Accepted)
                Assert.True(s.Info.IsAead && s.Info.IsForwardSecret, $"{s.Info.IanaName} accepted by tessera serve");
        // Tessera imposes its own order (TLS 1.2 and 1.3), and offers the hybrid post-quantum group.
        Assert.Equal(true, report.SuitesFor(Wire.ProtocolVersion.Tls12)!.ServerOrder);
        Assert.Equal(true, report.SuitesFor(Wire.ProtocolVersion.Tls12)!.ChaCha20WhenClientPrefers);
        Assert.Contains(report.Groups, g => g.Version == Wire.ProtocolVersion.Tls13 && g.Accepted.Exists(a => a.Name == "X25519MLKEM768"));
        // With no key share, Tessera asks for its favourite group, the hybrid; it honours record_size_limit in TLS 1.3.
        Assert.Equal("X25519MLKEM768", report.Handshake!.RetryGroup);
        Assert.Equal(false, report.Handshake.RetryForPreferredGroup);
        Assert.NotNull(report.Handshake.RecordSizeLimitTls13);
    }

    [Fact]
    public async Task Scan_Of_OpenSslServer_With_EcdsaKey_Matches_Sslscan_OnTls12Groups()
    {
        var prefix = Path.Combine(TestHome.Path, "scan-ecdsa");
        if (!File.Exists(prefix + ".pem"))
        {
            using var req = Proc.Start("openssl", $"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {prefix}.key -out {prefix}.pem -days 30 -subj /CN=localhost");
            Assert.Equal(0, await req.ExitAsync(Timeout));
        }
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {prefix}.pem -key {prefix}.key -www -quiet");
        using (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10))) { }
        var report = await ScanAsync(port);
        await AssertMatchesSslscanAsync(report, port);
        Assert.Contains(report.Groups, g => g.Version == Wire.ProtocolVersion.Tls12 && g.Accepted.Count > 0);
    }

    [Fact]
    public async Task Scan_Of_LegacyNginx_Matches_Sslscan_AndSeesTls10_Cbc_And_RsaKeyExchange()
    {
        var cert = await ScanPeer.CertificateAsync("rsa2048");
        using var nginx = await ScanPeer.NginxAsync(LegacyNginx, cert);
        var report = await ScanAsync(nginx.Port);
        await AssertMatchesSslscanAsync(report, nginx.Port);
        Assert.True(report.Supports(Wire.ProtocolVersion.Tls10));
        Assert.True(report.Supports(Wire.ProtocolVersion.Tls11));
        Assert.True(report.Supports(Wire.ProtocolVersion.Tls13));
        Assert.Contains(report.SuitesFor(Wire.ProtocolVersion.Tls10)!.Accepted, s => s.Info.IsCbc);
        Assert.Contains(report.SuitesFor(Wire.ProtocolVersion.Tls12)!.Accepted, s => s.Info.KeyExchange == "RSA");
        Assert.Equal(true, report.SuitesFor(Wire.ProtocolVersion.Tls12)!.ServerOrder);
        Assert.Equal(true, report.FallbackScsvHonoured);
        AssertMatchesSchema(ScanJson.ToJson(report));
    }

    [Fact]
    public async Task Scan_Of_GnutlsServ_Matches_Sslscan()
    {
        var cert = await ScanPeer.CertificateAsync("rsa2048");
        using var gnutls = await ScanPeer.GnutlsAsync(cert);
        var report = await ScanAsync(gnutls.Port);
        await AssertMatchesSslscanAsync(report, gnutls.Port);
        // GnuTLS's NORMAL priority: TLS 1.3 suites include AES-128-CCM, which OpenSSL's defaults leave out.
        Assert.Contains(report.SuitesFor(Wire.ProtocolVersion.Tls13)!.Accepted, s => s.Info.IanaName == "TLS_AES_128_CCM_SHA256");
    }

    /// <summary>An nginx configured the way old guides said: TLS 1.0 to 1.3, HIGH suites (CBC and RSA key exchange among them), no tickets.</summary>
    internal const string LegacyNginx = """
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
        ssl_ciphers HIGH:!aNULL:!MD5:@SECLEVEL=0;
        ssl_prefer_server_ciphers on;
        ssl_session_tickets off;
        ssl_session_cache shared:scan:1m;
        """;

    /// <summary>Mozilla's "intermediate" profile: TLS 1.2 and 1.3, ECDHE with AEAD only, client's order.</summary>
    internal const string ModernNginx = """
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_prefer_server_ciphers off;
        ssl_session_cache shared:scan:1m;
        """;

    [Fact]
    public async Task Scan_Reads_The_Chain_And_Staple_Over_Tls13_And_Tls12_AndTrustsItUnderBothProfiles()
    {
        var pki = InteropPki.Shared;
        var name = InteropPki.Name(CertKind.Rsa2048);
        var staple = pki.OcspFile(Path.Combine(pki.Directory, name));
        foreach (var flag in new[] { "", "-no_tls1_3" })
        {
            var port = Ports.Free();
            using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {pki.CertFile(name)} -key {pki.KeyFile(name)} -status_file {staple} -www -quiet {flag}");
            using (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10))) { }
            var report = await new Scanner(Options(port) with { Trust = Certificates.TrustStore.FromPemFile(pki.CaFile) }).RunAsync(CancellationToken.None);
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
            AssertMatchesSchema(ScanJson.ToJson(report));
        }
    }

    [Fact]
    public async Task Scan_Judges_An_Untrusted_Chain_And_A_Wrong_Name_Separately()
    {
        await using var serve = ServeFixture.Start();
        var report = await new Scanner(Options(serve.Port) with { ServerName = "wrong.example" }).RunAsync(CancellationToken.None);
        var chain = report.Chains[0];
        Assert.False(chain.NameMatches);
        Assert.All(chain.Verdicts, v => Assert.False(v.Trusted));   // the system store does not hold the test CA
        var trusted = await new Scanner(Options(serve.Port) with { ServerName = "wrong.example", Trust = Certificates.TrustStore.FromPemFile(TestHome.DevRoot) }).RunAsync(CancellationToken.None);
        Assert.False(trusted.Chains[0].NameMatches);
        Assert.All(trusted.Chains[0].Verdicts, v => Assert.True(v.Trusted, v.Problem));
    }

    [Fact]
    public async Task Scan_Agrees_With_Testssl_On_An_OpenSslServer_That_Staples()
    {
        var pki = InteropPki.Shared;
        var name = InteropPki.Name(CertKind.Rsa2048);
        var staple = pki.OcspFile(Path.Combine(pki.Directory, name));
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {pki.CertFile(name)} -key {pki.KeyFile(name)} -status_file {staple} -www -quiet");
        using (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10))) { }
        var report = await ScanAsync(port);
        var testssl = await TestsslAsync(port);
        // testssl's resumption line sometimes reads "Connect problem: Ticket resumption test not possible" (seen in
        // CI under load); when it says yes or no, it must agree, and openssl s_client -tls1_2 referees every time.
        if (testssl.TicketResumption is { } tickets) Assert.Equal(tickets, report.Resumption!.Tls12TicketResumed);
        Assert.True(await OpenSslResumesAsync(port, byTicket: true));
        Assert.Equal(true, report.Resumption!.Tls12TicketResumed);
        // testssl's "ID" line is not the referee for session IDs: it runs that test over TLS 1.3 once it has seen a
        // TLS 1.3 ticket (where OpenSSL has no session-ID resumption) and so says "no" or "yes" depending on what it
        // saw first. openssl s_client -tls1_2 -no_ticket is.
        Assert.True(await OpenSslResumesAsync(port, byTicket: false));
        Assert.Equal(true, report.Resumption.Tls12SessionIdResumed);
        Assert.Equal(testssl.OcspStapling, report.Chains[0].Staple is not null);
        Assert.Equal(testssl.SecureRenegotiation, report.SecureRenegotiation);
    }

    [Fact]
    public async Task Scan_Agrees_With_Testssl_On_LegacyNginx()
    {
        var cert = await ScanPeer.CertificateAsync("rsa2048");
        using var nginx = await ScanPeer.NginxAsync(LegacyNginx, cert);
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
        var cert = await ScanPeer.CertificateAsync("rsa2048");
        using var server = await ScanPeer.OpenSslAsync(cert, $"-early_data -alpn h2,http/1.1 {flag}", www: false);
        var report = await ScanAsync(server.Port);
        var r = report.Resumption!;
        Assert.True(r.Tls13Tickets > 0, ScanJson.ToJson(report));
        Assert.True(r.Tls13MaxEarlyData > 0);
        Assert.True(r.Tls13Resumed == true && r.EarlyDataAccepted == true, ScanJson.ToJson(report));
        Assert.Equal(replayAccepted, r.ReplayedEarlyDataAccepted);
        Assert.Equal(["h2", "http/1.1"], r.Alpn);
        AssertMatchesSchema(ScanJson.ToJson(report));
    }

    [Fact]
    public async Task Grade_Of_TesseraServe_Is_A()
    {
        await using var serve = ServeFixture.Start();
        var report = await new Scanner(Options(serve.Port) with { Trust = Certificates.TrustStore.FromPemFile(TestHome.DevRoot) }).RunAsync(CancellationToken.None);
        var grade = Grader.Grade(report);
        Assert.True(grade.Grade is "A" or "A+", $"{grade.Grade}: {string.Join("; ", grade.Caps.Select(c => c.Reason))}");
        Assert.Empty(grade.Caps);
        Assert.Null(grade.CertificateOutcome);
        // RFC 8879: tessera serve compresses with either algorithm when it is the only one offered.
        Assert.Equal(["brotli", "zlib"], report.Handshake!.CertificateCompression);
        // The development CA issues by the rules: no issuance finding on any certificate of the chain.
        Assert.All(report.Chains[0].Certificates, c => Assert.Empty(c.IssuanceFindings));
        Assert.DoesNotContain(Grader.Findings(report, grade), f => f.Text.StartsWith("Issuance rule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Issuance_Rules_A_Certificate_Breaks_Are_Findings_And_OpenSsl_3_0_Compresses_Nothing()
    {
        // A hand-made certificate whose CN is not among its SANs: browsers accept it, so the scan reports the BR rule as
        // an Info finding rather than a refusal. OpenSSL 3.0's s_server has no RFC 8879 support.
        TestHome.Ensure();
        var prefix = Path.Combine(TestHome.Path, "scan-lint");
        File.WriteAllText(prefix + ".cnf", "[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=other.test\n[ext]\nsubjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n");
        using (var req = Proc.Start("openssl", $"req -x509 -config {prefix}.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 10 -keyout {prefix}.key -out {prefix}.pem"))
            Assert.Equal(0, await req.ExitAsync(TimeSpan.FromSeconds(30)));
        using var server = await ScanPeer.OpenSslAsync(prefix);
        var report = await new Scanner(Options(server.Port) with { Trust = Certificates.TrustStore.FromPemFile(prefix + ".pem") }).RunAsync(CancellationToken.None);
        Assert.Contains(report.Chains[0].Certificates[0].IssuanceFindings, f => f.Contains("which is not one of its subjectAltNames as BR §7.1.4.3 requires", StringComparison.Ordinal));
        var grade = Grader.Grade(report);
        Assert.Contains(Grader.Findings(report, grade), f => f.Severity == Severity.Info && f.Text.StartsWith("Issuance rule: the certificate 'CN=other.test'", StringComparison.Ordinal));
        Assert.Empty(report.Handshake!.CertificateCompression!);
        AssertMatchesSchema(ScanJson.ToJson(report));
    }

    [Fact]
    public async Task Grade_Of_ModernNginx_Is_A_AndItsHstsMakesItAPlus()
    {
        var cert = await ScanPeer.CertificateAsync("ecdsa-p256");
        var trust = Certificates.TrustStore.FromPemFile(TestHome.DevRoot);
        using (var nginx = await ScanPeer.NginxAsync(ModernNginx, cert))
        {
            var grade = Grader.Grade(await new Scanner(Options(nginx.Port) with { Trust = trust }).RunAsync(CancellationToken.None));
            Assert.True(grade.Grade == "A", $"{grade.Grade}: {string.Join("; ", grade.Caps.Select(c => c.Reason))}");
        }
        using (var nginx = await ScanPeer.NginxAsync(ModernNginx + "\nadd_header Strict-Transport-Security \"max-age=31536000\" always;", cert))
        {
            var report = await new Scanner(Options(nginx.Port) with { Trust = trust }).RunAsync(CancellationToken.None);
            Assert.Equal(31536000, report.Hsts?.MaxAgeSeconds);
            Assert.Equal("A+", Grader.Grade(report).Grade);
        }
    }

    [Fact]
    public async Task Grade_Of_LegacyNginx_Is_Capped_At_B_With_The_Reason()
    {
        var cert = await ScanPeer.CertificateAsync("rsa2048");
        using var nginx = await ScanPeer.NginxAsync(LegacyNginx, cert);
        var report = await new Scanner(Options(nginx.Port) with { Trust = Certificates.TrustStore.FromPemFile(TestHome.DevRoot) }).RunAsync(CancellationToken.None);
        var grade = Grader.Grade(report);
        Assert.Equal("B", grade.Grade);
        Assert.True(grade.Score >= 80, $"score {grade.Score}: the cap, not the score, makes the B");
        Assert.Contains(grade.Caps, c => c.Max == Letter.B && c.Reason.Contains("TLS 1.0 or 1.1", StringComparison.Ordinal));
        var findings = Grader.Findings(report, grade);
        Assert.Equal(Severity.Medium, findings[0].Severity);
        Assert.Contains(findings, f => f.Text.Contains("Static RSA key exchange", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grade_Of_An_Expired_Certificate_Is_T_And_Of_A_Wrong_Name_Is_M()
    {
        var expired = Path.Combine(TestHome.Path, "scan-expired");
        await ConnectCommandTests.ExpiredCertificateAsync(expired);
        var trust = Certificates.TrustStore.FromPemFile(TestHome.DevRoot);
        using (var server = await ScanPeer.OpenSslAsync(expired, $"-cert_chain {Path.Combine(TestHome.Path, "ca", "intermediate.pem")}"))
        {
            var grade = Grader.Grade(await new Scanner(Options(server.Port) with { Trust = trust }).RunAsync(CancellationToken.None));
            Assert.Equal("T", grade.Grade);
            Assert.True(grade.CertificateOutcome!.Contains("expired", StringComparison.OrdinalIgnoreCase), grade.CertificateOutcome);
            Assert.Equal("A", grade.GradeIgnoringCertificate);
        }
        await using var serve = ServeFixture.Start();
        var wrongName = Grader.Grade(await new Scanner(Options(serve.Port) with { ServerName = "wrong.example", Trust = trust }).RunAsync(CancellationToken.None));
        Assert.Equal("M", wrongName.Grade);
        Assert.Contains("does not name wrong.example", wrongName.CertificateOutcome, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_Refuses_A_Report_With_A_Field_It_Does_Not_Know()
    {
        // The schema is strict (additionalProperties false), so a field added to ScanJson without the schema fails the tests above.
        var errors = SchemaErrors("""{"schema_version": 1, "surprise": true}""");
        Assert.NotEmpty(errors);
    }

    private static readonly Lazy<Json.Schema.JsonSchema> Schema = new(() =>
        Json.Schema.JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "scan-report.schema.json")));

    private static void AssertMatchesSchema(string json)
    {
        var errors = SchemaErrors(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + json);
    }

    private static List<string> SchemaErrors(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(doc.RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        var errors = new List<string>();
        if (result.IsValid) return errors;
        foreach (var detail in result.Details ?? [])
            if (detail.Errors is { } e)
                foreach (var (key, message) in e) errors.Add($"{detail.InstanceLocation}: {key}: {message}");
        if (errors.Count == 0) errors.Add("invalid, without details");
        return errors;
    }

    /// <summary>Two `openssl s_client -tls1_2` runs (-no_ticket for a session ID), the second presenting the first's session: "Reused"?</summary>
    private static async Task<bool> OpenSslResumesAsync(int port, bool byTicket)
    {
        var session = Path.Combine(TestHome.Path, $"scan-session-{port}-{byTicket}.pem");
        var flags = byTicket ? "-tls1_2" : "-tls1_2 -no_ticket";
        using (var first = Proc.Start("openssl", $"s_client -connect 127.0.0.1:{port} {flags} -sess_out {session}"))
        {
            first.StandardInput.Close();
            await first.ExitAsync(Timeout);
        }
        using var second = Proc.Start("openssl", $"s_client -connect 127.0.0.1:{port} {flags} -sess_in {session}");
        second.StandardInput.Close();
        await second.ExitAsync(Timeout);
        return second.Output.Contains("Reused, TLSv1.2", StringComparison.Ordinal);
    }

    private static async Task<TestsslReport> TestsslAsync(int port)
    {
        using var testssl = Proc.Start("testssl", $"--quiet --color 0 --warnings off -p -S -R -Z 127.0.0.1:{port}");
        await testssl.ExitAsync(Timeout);   // its exit code counts findings, not failures of the tool
        return TestsslReport.Parse(testssl.Output);
    }

    [Fact]
    public async Task Scan_Json_Carries_Versions_Suites_Groups_AndFeatures()
    {
        await using var serve = ServeFixture.Start();
        var console = new RecordingConsole();
        var exit = await ScanCommand.RunAsync(Options(serve.Port), json: true, console.Console, TextWriter.Null, CancellationToken.None);
        Assert.Equal(ExitCodes.Success, exit);
        AssertMatchesSchema(console.Text);
        using var doc = JsonDocument.Parse(console.Text);
        var root = doc.RootElement;
        Assert.Equal(ScanJson.SchemaVersion, root.GetProperty("schema_version").GetInt32());
        Assert.Contains(root.GetProperty("versions").EnumerateArray(), v => v.GetProperty("name").GetString() == "TLS 1.3" && v.GetProperty("supported").GetBoolean());
        Assert.Contains(root.GetProperty("cipher_suites").EnumerateArray(), s => s.GetProperty("version").GetString() == "TLS 1.3"
            && s.GetProperty("accepted").EnumerateArray().Any(a => a.GetProperty("iana").GetString() == "TLS_AES_128_GCM_SHA256"));
        Assert.True(root.GetProperty("features").GetProperty("fallback_scsv_honoured").GetBoolean());
    }

    [Fact]
    public async Task Scan_Of_ClosedPort_Says_It_Could_Not_Connect()
    {
        var port = Ports.Free();
        var errors = new StringWriter();
        var exit = await ScanCommand.RunAsync(Options(port), json: false, new RecordingConsole().Console, errors, CancellationToken.None);
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.Contains("could not connect", errors.ToString(), StringComparison.Ordinal);
    }

    private static ScanOptions Options(int port) => new() { Target = new HostPort("127.0.0.1", port), ServerName = "localhost" };

    private static Task<ScanReport> ScanAsync(int port) => new Scanner(Options(port)).RunAsync(CancellationToken.None);

    private static async Task AssertMatchesSslscanAsync(ScanReport report, int port, bool compareTls12Groups = true)
    {
        using var sslscan = Proc.Start("sslscan", $"--no-colour --show-sigs --no-heartbleed --no-renegotiation --no-compression --no-check-certificate 127.0.0.1:{port}");
        Assert.Equal(0, await sslscan.ExitAsync(Timeout));
        var referee = SslscanReport.Parse(sslscan.Output);

        var ours = new HashSet<string>();
        foreach (var v in report.Versions)
            if (v.Supported) ours.Add(SslscanReport.VersionName(v.Name));
        Assert.Equal(Sorted(referee.EnabledVersions), Sorted(ours));

        foreach (var s in report.Suites)
        {
            var name = SslscanReport.VersionName(ScanView.Name(s.Version));
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var a in s.Accepted) names.Add(a.Info.OpenSslName);
            Assert.Equal(referee.Suites.GetValueOrDefault(name) ?? [], names);
        }
        foreach (var g in report.Groups)
        {
            if (g.Version == Wire.ProtocolVersion.Tls12 && !compareTls12Groups) continue;
            var name = SslscanReport.VersionName(ScanView.Name(g.Version));
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var a in g.Accepted) names.Add(a.Name);
            // sslscan 2.0 (on OpenSSL 3.0) cannot offer the ML-KEM hybrid, so it is left out of the comparison.
            names.Remove("X25519MLKEM768");
            Assert.Equal(referee.Groups.GetValueOrDefault(name) ?? [], names);
        }
        // sslscan 2.0.7 lists no TLS 1.2 signature algorithms at all for servers with an ECDSA key, nor for gnutls-serv,
        // so the schemes are compared for the versions it does list (TLS 1.3 everywhere, TLS 1.2 on RSA-keyed OpenSSL).
        var compared = 0;
        foreach (var (version, schemes) in report.Handshake!.SignatureSchemes)
        {
            var name = SslscanReport.VersionName(ScanView.Name(version));
            if (!referee.SignatureSchemes.TryGetValue(name, out var theirs)) continue;
            Assert.Equal(theirs, new SortedSet<string>(schemes, StringComparer.Ordinal));
            compared++;
        }
        Assert.True(compared > 0 || !report.Supports(Wire.ProtocolVersion.Tls13), "sslscan listed no signature algorithms to compare with");
        if (referee.FallbackScsv is { } scsv) Assert.Equal(scsv, report.FallbackScsvHonoured);
    }

    private static string Sorted(IEnumerable<string> set) => string.Join(",", set.Order(StringComparer.Ordinal));
}
