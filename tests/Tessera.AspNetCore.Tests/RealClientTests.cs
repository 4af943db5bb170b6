using System.Net;
using System.Text.RegularExpressions;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Interop.Tests.Support;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>Kestrel + Tessera against clients we did not write: headless Chromium and h2load (nghttp2), and a certificate renewed under load.</summary>
public sealed partial class RealClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Chromium_GetsHttp2()
    {
        await using var host = await SampleHost.StartAsync();
        var dom = await HeadlessChromium.DumpDomAsync(host.Url, Timeout);
        Assert.Contains("\"protocol\": \"HTTP/2\"", dom, StringComparison.Ordinal);
        Assert.Contains("\"alpn\": \"h2\"", dom, StringComparison.Ordinal);
        Assert.Contains("\"tlsVersion\": \"TLS 1.3\"", dom, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]          // HTTP/2
    [InlineData("--h1")]      // HTTP/1.1
    public async Task H2load_ZeroFailedRequests(string protocol)
    {
        await using var host = await SampleHost.StartAsync();
        using var h2load = Peer.Start("h2load", $"{protocol} -n 400 -c 8 -m 4 {host.Url}");
        Assert.Equal(0, await h2load.WaitForExitAsync(Timeout));
        AssertAllSucceeded(h2load.StdoutText, 400);
        Assert.Contains(protocol == "" ? "Application protocol: h2" : "Application protocol: http/1.1", h2load.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateFilesReplacedDuringH2load_NoRequestFails_AndNewHandshakesGetTheNewCertificate()
    {
        var pki = KestrelPki.Shared;
        var dir = Directory.CreateTempSubdirectory("tessera-reload-").FullName;
        var (cert, key) = (Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"));
        var first = pki.IssueLocalhostTo(cert, key);
        // No tickets: every handshake is a full one and names the certificate it used (a resumed one sends none, and
        // SslStream's process-wide session cache may hold a ticket from another test's server).
        await using var host = await SampleHost.StartAsync(new Samples.Kestrel.SampleSettings
        {
            CertificateFile = cert,
            KeyFile = key,
            ConfigureTls = tls => tls.ServerOptions = tls.ServerOptions with { TicketProtector = null },
        });
        using (var before = host.Client(HttpVersion.Version20))
        {
            var json = await SampleHost.GetJsonAsync(before, host.Url);
            Assert.True(first.SerialNumber == json.GetProperty("serverCertificateSerial").GetString(), json.ToString());
        }

        // One request per connection, 60 new connections a second for 5 s: handshakes before, during and after the change.
        using var h2load = Peer.Start("h2load", $"-n 300 -c 300 -m 1 -r 60 {host.Url}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = pki.IssueLocalhostTo(cert, key);
        Assert.Equal(0, await h2load.WaitForExitAsync(Timeout));
        AssertAllSucceeded(h2load.StdoutText, 300);

        using var after = host.Client(HttpVersion.Version20);
        var latest = await SampleHost.GetJsonAsync(after, host.Url);
        Assert.True(second.SerialNumber == latest.GetProperty("serverCertificateSerial").GetString(), latest.ToString());
        Directory.Delete(dir, recursive: true);
    }

    private static void AssertAllSucceeded(string output, int requests)
    {
        var m = Summary().Match(output);
        Assert.True(m.Success, output);
        Assert.Equal(requests, int.Parse(m.Groups["ok"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", m.Groups["failed"].Value);
        Assert.Equal("0", m.Groups["errored"].Value);
        Assert.Equal("0", m.Groups["timeout"].Value);
    }

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<ok>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex Summary();
}
