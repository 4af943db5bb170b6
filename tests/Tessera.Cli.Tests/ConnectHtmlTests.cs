using System.Net;
using System.Text.RegularExpressions;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera connect --html`: the handshake ladder of real connections to `tessera serve` — a HelloRetryRequest, then a
/// resumption with 0-RTT — opened in headless Chromium offline: every message of every connection is there in the
/// order the trace has it, as an arrow linking to its decoded fields; screenshots beside the test binaries.
/// </summary>
public sealed partial class ConnectHtmlTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-connect-html-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_Retried_Then_Resumed_Connection_Is_Drawn_Message_By_Message()
    {
        // P-256 only on the server: the client's first key shares (X25519MLKEM768, x25519) draw a HelloRetryRequest.
        await using var serve = ServeFixture.Start(new ServeSettings { Groups = "secp256r1", EarlyData = 1024 });
        var early = Path.Combine(_folder, "early.txt");
        await File.WriteAllTextAsync(early, "GET / early\n");
        var page = Path.Combine(_folder, "ladder.html");
        using var stdin = new MemoryStream();
        var stdout = new MemoryStream();
        var console = new RecordingConsole();
        var exit = await ConnectCommand.RunAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", serve.Port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Resume = 1,
            EarlyDataFile = early,
            Quiet = true,
            HtmlFile = page,
        }, console.Console, new StringWriter(), stdin, stdout, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ExitCodes.Success, exit);
        var html = await File.ReadAllTextAsync(page);
        var dom = WebUtility.HtmlDecode(await HeadlessChromium.DumpOfflineDomAsync(page, Timeout));
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        await HeadlessChromium.ScreenshotAsync(page, Path.Combine(shots, "connect-ladder.png"), 1000, 3400, Timeout);
        await HeadlessChromium.ScreenshotAsync(page, Path.Combine(shots, "connect-ladder-phone.png"), 390, 2400, Timeout);
        output.WriteLine($"screenshots: {shots}/connect-ladder.png, connect-ladder-phone.png");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var ids = IdPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        // Both connections, each message as an arrow (an SVG link to its details) and as a details element, in trace order.
        foreach (var c in new[] { "c1", "c2" })
        {
            var arrows = ArrowPattern().Matches(dom).Where(m => m.Groups[1].Value == c).Select(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.NotEmpty(arrows);
            Assert.Equal(Enumerable.Range(1, arrows.Count), arrows);
            foreach (var n in arrows) Assert.Contains($"<details id=\"{c}-m{n}\"", dom, StringComparison.Ordinal);
        }
        var first = dom[dom.IndexOf("id=\"c1\"", StringComparison.Ordinal)..dom.IndexOf("id=\"c2\"", StringComparison.Ordinal)];
        var order = new[] { "C → S  ClientHello", "S → C  HelloRetryRequest", "C → S  ClientHello", "S → C  ServerHello", "S → C  EncryptedExtensions", "S → C  Finished", "C → S  Finished" };
        var at = 0;
        foreach (var step in order)
        {
            var next = first.IndexOf(step, at, StringComparison.Ordinal);
            Assert.True(next >= at, $"'{step}' missing or out of order in the first connection:\n{string.Join("\n", SummaryPattern().Matches(first).Select(m => m.Groups[1].Value))}");
            at = next + step.Length;
        }
        var second = dom[dom.IndexOf("id=\"c2\"", StringComparison.Ordinal)..];
        // The resumed hello's shares draw a HelloRetryRequest again, and after one the server must refuse 0-RTT (RFC 8446 §4.2.10):
        // the page shows the early data sent under its own keys, then rejected, then sent again under application keys.
        Assert.Contains("Connection 2 (resumed, 0-RTT rejected)", second, StringComparison.Ordinal);
        Assert.Contains("writing with client early keys", second, StringComparison.Ordinal);
        Assert.Contains("S → C  HelloRetryRequest", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Certificate chain", second, StringComparison.Ordinal);   // resumed: no certificate
        Assert.Contains("HelloRetryRequest</dt><dd>yes", first.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\sid=""([^""]+)""")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"<strong>([^<]*)</strong>")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"<a href=""#(c\d)-m(\d+)""")]
    private static partial Regex ArrowPattern();
}

/// <summary>`tessera demo --html DIR`: one ladder page per scenario and an index linking them, opened in headless Chromium offline.</summary>
public sealed partial class DemoHtmlTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-demo-html-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_Scenario_Gets_A_Page_And_The_Index_Links_Them()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, await DemoCommand.RunAsync(console.Console, [], showFields: false, CancellationToken.None, _folder).WaitAsync(Timeout));
        var index = WebUtility.HtmlDecode(await HeadlessChromium.DumpOfflineDomAsync(Path.Combine(_folder, "index.html"), Timeout));
        var links = LinkPattern().Matches(index).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["full.html", "hrr.html", "resumed.html", "tls12.html", "mtls.html"], links);   // the scenarios' order
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        foreach (var link in links)
        {
            var page = Path.Combine(_folder, link);
            var dom = WebUtility.HtmlDecode(await HeadlessChromium.DumpOfflineDomAsync(page, Timeout));
            Assert.Contains("<a href=\"#c1-m1\"", dom, StringComparison.Ordinal);
            Assert.Contains("C → S  ClientHello", dom, StringComparison.Ordinal);
            Assert.Contains("C → S  Finished", dom, StringComparison.Ordinal);
            await HeadlessChromium.ScreenshotAsync(page, Path.Combine(shots, $"demo-{Path.GetFileNameWithoutExtension(link)}.png"), 1000, 2600, Timeout);
        }
        var resumed = WebUtility.HtmlDecode(await HeadlessChromium.DumpOfflineDomAsync(Path.Combine(_folder, "resumed.html"), Timeout));
        Assert.Contains("First visit (the session the next one resumes)", resumed, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#c2-m1\"", resumed, StringComparison.Ordinal);
        var hrr = WebUtility.HtmlDecode(await HeadlessChromium.DumpOfflineDomAsync(Path.Combine(_folder, "hrr.html"), Timeout));
        Assert.Contains("S → C  HelloRetryRequest", hrr, StringComparison.Ordinal);
        var tls12 = WebUtility.HtmlDecode(await HeadlessChromium.DumpOfflineDomAsync(Path.Combine(_folder, "tls12.html"), Timeout));
        Assert.Contains("C → S  ClientKeyExchange", tls12, StringComparison.Ordinal);
        Assert.Contains("C → S  Finished</strong><span class=\"muted\"> 16 bytes · application keys", tls12, StringComparison.Ordinal);   // after ChangeCipherSpec
        output.WriteLine($"screenshots: {shots}/demo-*.png");
    }

    [GeneratedRegex(@"<a href=""([a-z0-9]+\.html)""")]
    private static partial Regex LinkPattern();
}
