using System.Text;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Proxy.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Proxy.Tests;

/// <summary>
/// One listener, several sites chosen by the ClientHello's SNI name: each its own certificate, versions, mode and
/// backend; a client with no name (or an unclaimed one) gets the default site.
/// </summary>
public sealed class SiteBySniTests(TestPki pki) : IClassFixture<TestPki>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private TlsServerOptions Tls(params string[] names) => new()
    {
        Certificates = [TlsCredential.FromCertificate(pki.Issue(names))],
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task Sni_Picks_The_Site_Its_Certificate_Versions_Mode_And_Backend()
    {
        await using var echoA = new EchoBackend();
        await using var echoDefault = new EchoBackend();
        await using var web = new HttpBackend();
        var options = new ProxyListenerOptions
        {
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            Sites =
            [
                RunningProxy.Site(pki.Server(), echoDefault.Port, name: "fallback"),
                RunningProxy.Site(Tls("a.test") with { MinVersion = ProtocolVersion.Tls13 }, echoA.Port, name: "a", serverNames: "a.test"),
                RunningProxy.Site(Tls("*.web.test"), web.Port, ProxyMode.Http, name: "web", serverNames: "*.web.test"),
            ],
        };
        await using var proxy = new RunningProxy(options);

        // a.test: its own certificate and backend.
        Assert.Equal("CN=a.test", await EchoSubjectAsync(proxy.Port, "a.test", "to a", echoA));
        // An unclaimed name and the default site's own name: the default site.
        Assert.Equal("CN=localhost", await EchoSubjectAsync(proxy.Port, "localhost", "to default", echoDefault));
        // a.test allows TLS 1.3 only; the default site TLS 1.2 as well.
        var tls12 = pki.Client() with { MaxVersion = ProtocolVersion.Tls12 };
        await Assert.ThrowsAsync<TlsException>(() => Clients.ConnectAsync(proxy.Port, tls12 with { TrustStore = TrustStore.FromCertificates(pki.Root) }, "a.test"));
        var (tcp12, tls12Stream) = await Clients.ConnectAsync(proxy.Port, tls12, "localhost");
        using (tcp12) await using (tls12Stream) Assert.Equal(ProtocolVersion.Tls12, tls12Stream.Connection.NegotiatedVersion);

        // api.web.test matches the wildcard site: http mode, forwarded to the HTTP backend over HTTP/2 from curl.
        using var curl = Peer.Start("curl", $"-sS --http2 --max-time 10 --cacert {pki.RootPem} --resolve api.web.test:{proxy.Port}:127.0.0.1 -w \"\\n%{{http_version}}\" https://api.web.test:{proxy.Port}/sites");
        Assert.Equal(0, await curl.WaitForExitAsync(Timeout));
        Assert.Contains("request=GET /sites\n", curl.StdoutText);
        Assert.Contains("x-forwarded-host=api.web.test:", curl.StdoutText);
        Assert.EndsWith("\n2", curl.StdoutText);
        var request = Assert.Single(await proxy.RequestsAsync(1, Timeout));
        Assert.Equal(200, request.Status);
    }

    [Fact]
    public async Task A_Client_Without_Sni_Gets_The_Default_Site()
    {
        await using var echoA = new EchoBackend();
        await using var echoDefault = new EchoBackend();
        var options = new ProxyListenerOptions
        {
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            Sites =
            [
                RunningProxy.Site(Tls("a.test"), echoA.Port, name: "a", serverNames: "a.test"),
                RunningProxy.Site(pki.Server(), echoDefault.Port, name: "fallback"),
            ],
        };
        await using var proxy = new RunningProxy(options);
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{proxy.Port} -noservername -quiet");
        await client.StandardInput.WriteAsync("no name\n"u8.ToArray());
        await client.StandardInput.FlushAsync();
        await client.WaitForOutputAsync("no name", Timeout);
        Assert.Single(echoDefault.Received);
        Assert.Empty(echoA.Received);
    }

    [Fact]
    public void Two_Sites_Claiming_One_Name_Are_Refused_With_A_Sentence()
    {
        var options = new ProxyListenerOptions
        {
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            Sites =
            [
                RunningProxy.Site(Tls("a.test"), 1, name: "first", serverNames: "a.test"),
                RunningProxy.Site(Tls("a.test"), 2, name: "second", serverNames: "A.test"),
            ],
        };
        var e = Assert.Throws<ArgumentException>(() => new ProxyListener(options));
        Assert.Equal("site 'second': server name 'A.test' is already site 'first''s", e.Message);
    }

    private async Task<string> EchoSubjectAsync(int port, string serverName, string text, EchoBackend backend)
    {
        var before = backend.Received.Count;
        var (tcp, tls) = await Clients.ConnectAsync(port, pki.Client(), serverName);
        using (tcp)
        await using (tls)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(text));
            await tls.ShutdownAsync();
            var echoed = await Clients.ReadAsync(tls, int.MaxValue, Timeout);
            Assert.Equal(text, Encoding.ASCII.GetString(echoed));
            Assert.Equal(before + 1, backend.Received.Count);
            return tls.Connection.PeerCertificates[0].Subject;
        }
    }
}
