using System.Text.Json;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Scan;
using Tessera.Scan;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;
using Tessera.Scan.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera scan`'s side: what it sees of `tessera serve` (with sslscan as the referee), its JSON view against
/// docs/scan-report.schema.json, and its sentences. The scanner against other servers is tested in Tessera.Scan.Tests.
/// </summary>
[Collection("tessera home")]
public sealed class ScanCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Scan_Of_TesseraServe_Matches_Sslscan_AndSeesOnlyModernSuites()
    {
        await using var serve = ServeFixture.Start();
        var report = await ScanAsync(serve.Port);
        // sslscan 2.0.7 reads one handshake message per record when it looks for the TLS 1.2 curve; Tessera sends
        // Certificate, ServerKeyExchange and ServerHelloDone in one record (RFC 5246 §6.2.1 allows it), so sslscan
        // finds no TLS 1.2 group at all. The TLS 1.2 groups are compared on openssl s_server with an ECDSA key instead.
        await AssertMatchesSslscanAsync(report, serve.Port, compareTls12Groups: false);
        // RFC 8422 §5.3: a client that offers one curve only gets an ECDSA P-256 certificate if that curve is P-256; offered
        // first beside secp256r1, x25519 is used (the groups Tessera ranks below P-256 cannot be seen that way), and the note says so.
        var tls12Groups = report.Groups.Single(g => g.Version == Wire.ProtocolVersion.Tls12);
        Assert.Equal(["x25519", "secp256r1"], tls12Groups.Accepted.Select(g => g.Name));
        Assert.StartsWith("x25519 only when secp256r1 is offered too", tls12Groups.Note, StringComparison.Ordinal);
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

    /// <summary>
    /// The JSON view of reports that set what a Tessera server does not — TLS 1.0 and CBC suites, a staple, 0-RTT,
    /// issuance findings — matches the schema (the scanner's own behaviour on these servers is tested in Tessera.Scan.Tests).
    /// </summary>
    [Fact]
    public async Task Scan_Json_Of_Varied_Servers_Matches_The_Schema()
    {
        var pki = ScanPki.Shared;
        using (var nginx = await ScanPeer.NginxAsync(ScanPeer.LegacyNginx, pki.Certificate("rsa2048")))
            AssertMatchesSchema(ScanJson.ToJson(await ScanAsync(nginx.Port)));
        using (var early = await ScanPeer.OpenSslAsync(pki.Certificate("rsa2048"), "-early_data -alpn h2,http/1.1", www: false))
        {
            var report = await ScanAsync(early.Port);
            Assert.Equal(true, report.Resumption?.EarlyDataAccepted);
            AssertMatchesSchema(ScanJson.ToJson(report));
        }
        var interop = InteropPki.Shared;
        var name = InteropPki.Name(CertKind.Rsa2048);
        using (var stapling = await ScanPeer.OpenSslAsync(Path.Combine(interop.Directory, name), $"-status_file {interop.OcspFile(Path.Combine(interop.Directory, name))}"))
        {
            var report = await ScanAsync(stapling.Port);
            Assert.NotNull(report.Chains[0].Staple);
            AssertMatchesSchema(ScanJson.ToJson(report));
        }
        using (var expired = await ScanPeer.OpenSslAsync(pki.Expired()))
        {
            var report = await new Scanner(Options(expired.Port) with { Trust = pki.Trust }).RunAsync(CancellationToken.None);
            AssertMatchesSchema(ScanJson.ToJson(report));
        }
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
    public async Task Fail_Below_Exits_With_8_Under_The_Grade_Asked_For_And_Findings_Carry_Ids()
    {
        await using var serve = ServeFixture.Start();
        var trusted = Options(serve.Port) with { Trust = Tessera.Cli.Cli.Files.Trust(TestHome.DevRoot) };
        var errors = new StringWriter();
        // tessera serve earns an A (no HSTS, so not A+).
        Assert.Equal(ExitCodes.GradeBelow, await ScanCommand.RunAsync(trusted, json: false, new RecordingConsole().Console, errors, CancellationToken.None, failBelow: ScanCommand.GradeRank("A+")));
        Assert.Contains("grade A is below --fail-below", errors.ToString(), StringComparison.Ordinal);
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, await ScanCommand.RunAsync(trusted, json: true, console.Console, TextWriter.Null, CancellationToken.None, failBelow: ScanCommand.GradeRank("A")));
        AssertMatchesSchema(console.Text);
        using (var doc = JsonDocument.Parse(console.Text))
        {
            Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "no-revocation-pointer");
            // serve's certificate is ECDSA P-256: in TLS 1.2 x25519 is refused alone and used beside secp256r1, and the report says why.
            var tls12 = doc.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("version").GetString() == "TLS 1.2");
            Assert.Contains(tls12.GetProperty("accepted").EnumerateArray(), g => g.GetProperty("name").GetString() == "x25519");
            Assert.Contains("RFC 8422", tls12.GetProperty("note").GetString(), StringComparison.Ordinal);
        }
        // Untrusted (the system store does not know the dev CA): T ranks below every letter.
        Assert.Equal(ExitCodes.GradeBelow, await ScanCommand.RunAsync(Options(serve.Port), json: false, new RecordingConsole().Console, TextWriter.Null, CancellationToken.None, failBelow: ScanCommand.GradeRank("F")));
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

    [Fact]
    public async Task Json_Of_A_Scan_That_Cannot_Run_Is_The_Schemas_Failure_Document()
    {
        var console = new RecordingConsole();
        var exit = await ScanCommand.RunAsync(Options(Ports.Free()), json: true, console.Console, TextWriter.Null, CancellationToken.None);
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        AssertMatchesSchema(console.Text);
        using var doc = JsonDocument.Parse(console.Text);
        Assert.Equal("connect", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
    }

    private static ScanOptions Options(int port) => new() { Target = new HostPort("127.0.0.1", port), ServerName = "localhost" };

    private static Task<ScanReport> ScanAsync(int port) => new Scanner(Options(port)).RunAsync(CancellationToken.None);

    private static async Task AssertMatchesSslscanAsync(ScanReport report, int port, bool compareTls12Groups = true)
    {
        using var sslscan = Proc.Start("sslscan", $"--no-colour --show-sigs --no-heartbleed --no-renegotiation --no-compression --no-check-certificate 127.0.0.1:{port}");
        Assert.Equal(0, await sslscan.ExitAsync(Timeout));
        SslscanReport.AssertSameAs(SslscanReport.Parse(sslscan.Output), report, compareTls12Groups);
    }
}
