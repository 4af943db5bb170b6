using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Tessera.Cli.Commands;
using Tessera.Cli.Scan;
using Tessera.Cli.Tests.Support;
using Tessera.Scan;
using Tessera.Scan.Tests.Support;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera scan --html`: pages rendered from real scans (`tessera serve`, the legacy nginx the scan tests use, a
/// hostile server) opened in headless Chromium with the network off — the DOM holds the grade, every finding and every
/// suite; nothing the server sent runs or becomes markup — and checked for what a headless HTML check can apply
/// (one DOCTYPE, unique ids, the CSP). A screenshot of each page is written beside the test binaries and named in the output.
/// </summary>
public sealed partial class ScanHtmlTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-scan-html-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ScanOptions Options(int port, Tessera.Certificates.TrustStore trust) =>
        new() { Target = new HostPort("127.0.0.1", port), ServerName = "localhost", Trust = trust };

    private async Task<(ScanReport Report, string Html, string Dom)> RenderAsync(string name, int port, Tessera.Certificates.TrustStore trust)
    {
        var report = await new Scanner(Options(port, trust)).RunAsync(CancellationToken.None).WaitAsync(Timeout);
        var html = ScanHtml.Render(report);
        var file = Path.Combine(_folder, $"{name}.html");
        await File.WriteAllTextAsync(file, html);
        var dom = await Tessera.Interop.Tests.Support.HeadlessChromium.DumpOfflineDomAsync(file, Timeout);
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await Tessera.Interop.Tests.Support.HeadlessChromium.ScreenshotAsync(file, Path.Combine(shots, $"scan-{name}.png"), 1100, 2600, Timeout);
        await Tessera.Interop.Tests.Support.HeadlessChromium.ScreenshotAsync(file, Path.Combine(shots, $"scan-{name}-phone.png"), 390, 2600, Timeout);
        output.WriteLine($"screenshots: {shots}/scan-{name}.png, scan-{name}-phone.png");
        AssertWellFormed(html);
        return (report, html, dom);
    }

    /// <summary>What a headless check of the W3C rules can apply: one doctype and html root, unique ids, a CSP allowing no script, nothing fetched.</summary>
    private static void AssertWellFormed(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        var ids = IdPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("content=\"default-src 'none'; style-src 'sha256-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Split("</style>")[0], StringComparison.Ordinal);   // no external font or image
        Assert.DoesNotContain(" style=\"", html, StringComparison.Ordinal);                       // inline style attributes would need 'unsafe-inline'
        // Every element opened is closed, in order (void elements aside): valid nesting.
        var stack = new Stack<string>();
        foreach (Match m in TagPattern().Matches(html.Split("<body>")[1].Split("</body>")[0]))
        {
            var tag = m.Groups[2].Value.ToLowerInvariant();
            if (tag is "meta" or "br" or "img" && m.Groups[1].Value == "") continue;
            if (m.Groups[1].Value != "/") stack.Push(tag);
            else
            {
                Assert.True(stack.Count > 0, $"</{tag}> closes nothing");
                Assert.Equal(stack.Pop(), tag);
            }
        }
        Assert.Empty(stack);
    }

    [Fact]
    public async Task A_Page_Of_Serve_Shows_The_Grade_Every_Suite_And_Group_And_Loads_Offline()
    {
        await using var serve = ServeFixture.Start();
        var (report, _, dom) = await RenderAsync("serve", serve.Port, Tessera.Cli.Cli.Files.Trust(TestHome.DevRoot));
        var grade = Grader.Grade(report);
        Assert.Contains($"aria-label=\"Grade {grade.Grade}\"", dom, StringComparison.Ordinal);
        Assert.Contains($"score {grade.Score} / 100", dom, StringComparison.Ordinal);
        foreach (var s in report.Suites)
            foreach (var a in s.Accepted)
                Assert.Contains($"<code>{a.Info.IanaName}</code>", dom, StringComparison.Ordinal);
        Assert.Equal(report.Suites.Sum(s => s.Accepted.Count), Regex.Matches(dom, "<tr class=\"suite\">").Count);
        Assert.Contains(">X25519MLKEM768<", dom, StringComparison.Ordinal);
        Assert.Contains("matches localhost", dom, StringComparison.Ordinal);
        // The dev CA's certificates name no OCSP responder and no CRL: the one finding, a low one, with its identifier.
        var finding = Assert.Single(Grader.Findings(report, grade));
        Assert.Equal("no-revocation-pointer", finding.Id);
        Assert.Contains("data-id=\"no-revocation-pointer\"", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Page_Of_Legacy_Nginx_Lists_Every_Finding_Worst_First()
    {
        var pki = ScanPki.Shared;
        using var nginx = await ScanPeer.NginxAsync(ScanPeer.LegacyNginx, pki.Certificate("rsa2048"));
        var (report, _, dom) = await RenderAsync("legacy-nginx", nginx.Port, pki.Trust);
        var findings = Grader.Findings(report, Grader.Grade(report));
        Assert.NotEmpty(findings);
        var at = -1;
        var text = WebUtility.HtmlDecode(dom);
        foreach (var f in findings)
        {
            var next = text.IndexOf(f.Text, at + 1, StringComparison.Ordinal);
            Assert.True(next > at, $"finding missing or out of order: {f.Text}");
            at = next;
        }
        Assert.Equal(findings.Count, Regex.Matches(dom, "<li class=\"finding ").Count);
        Assert.Contains("TLS 1.0", dom, StringComparison.Ordinal);
        Assert.Contains("TLS_RSA_WITH_AES_128_CBC_SHA", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_A_Hostile_Server_Puts_In_Its_Certificate_Is_Text_And_Runs_Nothing()
    {
        const string script = "<script>document.body.setAttribute('data-pwned','script')</script>";
        const string img = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">";
        var (cert, key) = HostileCertificate($"{script}{img}", [$"x{img}.example", "localhost"]);
        await using var serve = ServeFixture.Start(new ServeSettings { CertFile = cert, KeyFile = key });
        var (report, html, dom) = await RenderAsync("hostile", serve.Port, Tessera.Cli.Cli.Files.Trust(TestHome.DevRoot));
        Assert.Contains(script, report.Chains[0].Certificates[0].Subject, StringComparison.Ordinal);   // the scanner read it as it is
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data-pwned", dom.Split("<body")[1].Split('>')[0], StringComparison.Ordinal);   // no script changed the page
        Assert.Contains("&lt;script&gt;document.body.setAttribute", dom, StringComparison.Ordinal);            // shown as text
        Assert.Contains("onerror=", dom, StringComparison.Ordinal);
    }

    /// <summary>A self-signed certificate whose CN and SAN carry markup (an IA5String takes any ASCII, so a server can send this).</summary>
    private (string Cert, string Key) HostileCertificate(string commonName, string[] dnsNames)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256);
        var san = new AsnWriter(AsnEncodingRules.DER);
        using (san.PushSequence())
            foreach (var name in dnsNames) san.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", san.Encode(), critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = Path.Combine(_folder, "hostile.pem");
        var key = Path.Combine(_folder, "hostile.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, ec.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    [GeneratedRegex(@"\sid=""([^""]+)""")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")]
    private static partial Regex TagPattern();
}
