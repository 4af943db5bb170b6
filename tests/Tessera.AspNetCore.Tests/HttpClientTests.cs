using System.Diagnostics.Tracing;
using System.Net;
using System.Text.Json;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Http;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// HttpClient over <see cref="TesseraHttpHandler"/> to Kestrel + Tessera, Kestrel + SslStream and nginx: HTTP/1.1
/// everywhere, HTTP/2 where the server accepts the http :scheme that prior knowledge sends (nginx; Kestrel with
/// AllowAlternateSchemes), resumption across connections, the verifier's sentence, and no SslStream anywhere.
/// </summary>
public sealed class HttpClientTests
{
    private static TlsClientOptions Trusting() => new() { TrustStore = TrustStore.FromPemFile(KestrelPki.Shared.RootFile) };

    private static HttpClient Client(TlsClientOptions options, Version version, HttpVersionPolicy policy = HttpVersionPolicy.RequestVersionExact) =>
        new(new TesseraHttpHandler(options)) { DefaultRequestVersion = version, DefaultVersionPolicy = policy, Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("1.1", "HTTP/1.1", false)]
    [InlineData("2.0", "HTTP/2", true)]
    public async Task To_KesterlTessera(string version, string protocol, bool alternateSchemes)
    {
        await using var host = await SampleHost.StartAsync(SampleHost.Settings() with { AllowAlternateSchemes = alternateSchemes });
        using var client = Client(Trusting(), Version.Parse(version));
        using var watch = new SslStreamWatch();
        for (var i = 0; i < 3; i++)
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync(host.Url));
            Assert.Equal(protocol, doc.RootElement.GetProperty("protocol").GetString());
            Assert.Equal(version == "2.0" ? "h2" : "http/1.1", doc.RootElement.GetProperty("alpn").GetString());
        }
        Assert.Equal(0, watch.Handshakes);   // no SslStream on the client (nor wrapped inside Tessera)
    }

    [Fact]
    public async Task Http2_ToKestrelWithoutAlternateSchemes_IsRefusedByKestrel_AndOrLowerFallsBackNowhere()
    {
        // Documented limit: prior-knowledge HTTP/2 sends :scheme http; Kestrel refuses that on a TLS endpoint by default.
        await using var host = await SampleHost.StartAsync();
        using var client = Client(Trusting(), HttpVersion.Version20);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(host.Url));
    }

    [Fact]
    public async Task OrLower_FallsBackToHttp11_WhenTheServerOffersOnlyHttp11()
    {
        await using var host = await SampleHost.StartAsync(SampleHost.Settings() with { Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1 });
        using var client = Client(Trusting(), HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower);
        for (var i = 0; i < 2; i++)
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync(host.Url));
            Assert.Equal("HTTP/1.1", doc.RootElement.GetProperty("protocol").GetString());
        }
    }

    [Theory]
    [InlineData("1.1", false, "HTTP/1.1 https")]   // Kestrel takes the scheme from the connection for HTTP/1.1
    [InlineData("2.0", true, "HTTP/2 http")]
    public async Task To_KestrelSslStream(string version, bool alternateSchemes, string expected)
    {
        await using var server = await SslStreamKestrel.StartAsync(alternateSchemes);
        using var client = Client(Trusting(), Version.Parse(version));
        Assert.Equal(expected, (await client.GetStringAsync($"https://localhost:{server.Port}/")).Trim());
    }

    [Theory]
    [InlineData("1.1", "HTTP/1.1")]
    [InlineData("2.0", "HTTP/2.0")]
    public async Task To_Nginx(string version, string protocol)
    {
        using var nginx = await Nginx.StartAsync();
        var options = Trusting();
        using (var client = Client(options, Version.Parse(version)))
        {
            var first = (await client.GetStringAsync($"https://localhost:{nginx.Port}/")).Trim();
            Assert.True(first == $"{protocol} TLSv1.3 reused=.", first);
        }
        using (var again = Client(options, Version.Parse(version)))
        {
            var second = (await again.GetStringAsync($"https://localhost:{nginx.Port}/")).Trim();
            Assert.True(second == $"{protocol} TLSv1.3 reused=r", second);   // a new connection, resumed with nginx's ticket
        }
    }

    [Fact]
    public async Task ASecondConnection_Resumes_AsTheServerSees()
    {
        await using var host = await SampleHost.StartAsync();
        var options = Trusting();
        using (var first = Client(options, HttpVersion.Version11))
        {
            using var doc = JsonDocument.Parse(await first.GetStringAsync(host.Url));
            Assert.False(doc.RootElement.GetProperty("resumed").GetBoolean());
        }
        // Another handler (so another connection) with the same options: the ticket from the first one is used.
        using (var second = Client(options, HttpVersion.Version11))
        {
            using var doc = JsonDocument.Parse(await second.GetStringAsync(host.Url));
            Assert.True(doc.RootElement.GetProperty("resumed").GetBoolean());
        }
    }

    [Fact]
    public async Task AWrongHostCertificate_IsRefused_WithTesserasSentence()
    {
        await using var host = await SampleHost.StartAsync(SampleHost.Settings(name: "a.test"));
        using var client = Client(Trusting(), HttpVersion.Version11);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(host.Url));
        var tls = FindTls(e);
        Assert.NotNull(tls);
        Assert.Contains("localhost", tls!.Message, StringComparison.Ordinal);
        Assert.Contains("a.test", tls.Message, StringComparison.Ordinal);
        Assert.Contains(tls.Message, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EarlyData_SendsTheFirstGetOfANewConnectionIn0Rtt_AndRetriesA425AfterTheHandshake()
    {
        var settings = SampleHost.Settings(tls => tls.ServerOptions = tls.ServerOptions with { MaxEarlyData = 16384 });
        await using var host = await SampleHost.StartAsync(settings);
        var (options, endOfEarlyData) = EarlyDataCountingOptions();
        HttpClient Early() => new(new TesseraHttpHandler(options) { EarlyData = true }) { Timeout = TimeSpan.FromSeconds(30) };
        await GetTicketAsync(Early(), host.Url);
        using (var second = Early())
        {
            using var doc = JsonDocument.Parse(await second.GetStringAsync(host.Url));
            Assert.True(doc.RootElement.GetProperty("resumed").GetBoolean());
            Assert.Equal("accepted", doc.RootElement.GetProperty("earlyData").GetString());
            Assert.True(doc.RootElement.GetProperty("isEarlyData").GetBoolean());
        }
        Assert.Equal(1, endOfEarlyData());
        using (var third = Early())
        {
            // /no-early answers 425 to early data: the handler sends the GET again after the handshake, and the
            // endpoint runs exactly once.
            using var response = await third.GetAsync($"https://localhost:{host.Port}/no-early");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1", (await response.Content.ReadAsStringAsync()).Trim());
        }
        Assert.Equal(2, endOfEarlyData());   // the GET did go in 0-RTT (and got 425) before the retry
    }

    [Fact]
    public async Task APostSentInEarlyData_Gets425_AndIsRetriedAfterTheHandshake_ReachingTheAppOnce()
    {
        var settings = SampleHost.Settings(tls => tls.ServerOptions = tls.ServerOptions with { MaxEarlyData = 16384 });
        await using var host = await SampleHost.StartAsync(settings);
        var (options, endOfEarlyData) = EarlyDataCountingOptions();
        // A caller who (wrongly) allows POST in early data: the server's UseEarlyDataProtection answers 425.
        HttpClient Early() => new(new TesseraHttpHandler(options) { EarlyData = true, EarlyDataMethods = [HttpMethod.Get, HttpMethod.Post] }) { Timeout = TimeSpan.FromSeconds(30) };
        await GetTicketAsync(Early(), host.Url);
        using var second = Early();
        using var response = await second.PostAsync($"https://localhost:{host.Port}/count", new StringContent("x"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", (await response.Content.ReadAsStringAsync()).Trim());   // seen once, after the handshake
        Assert.Equal(1, endOfEarlyData());                          // and its head did go in 0-RTT first
    }

    [Fact]
    public async Task ThroughAConnectProxy_TheTlsSessionRunsEndToEnd()
    {
        await using var host = await SampleHost.StartAsync();
        using var proxy = new ConnectProxy();
        using var client = new HttpClient(new TesseraHttpHandler(Trusting()) { Proxy = new WebProxy($"http://127.0.0.1:{proxy.Port}") });
        using var doc = JsonDocument.Parse(await client.GetStringAsync(host.Url));
        Assert.Equal("localhost", doc.RootElement.GetProperty("serverName").GetString());
        Assert.Equal([$"CONNECT localhost:{host.Port} HTTP/1.1"], proxy.Connects);
        // The proxy relayed TLS records only: no request line in clear text.
        Assert.DoesNotContain("GET /", System.Text.Encoding.Latin1.GetString(proxy.ClientBytes), StringComparison.Ordinal);
        Assert.Equal(22, proxy.ClientBytes[0]);   // a TLS handshake record opens the tunnel
    }

    [Fact]
    public async Task ClientCertificate_FromTheOptions_ReachesHttpContext()
    {
        var settings = SampleHost.Settings(tls => tls.ServerOptions = tls.ServerOptions with
        {
            ClientCertificateMode = ClientCertificateMode.Required,
            ClientTrustStore = TrustStore.FromPemFile(KestrelPki.Shared.RootFile),
        });
        await using var host = await SampleHost.StartAsync(settings);
        var pki = KestrelPki.Shared;
        using var client = Client(Trusting() with { ClientCertificate = TlsCredential.FromPemFiles(pki.CertFile("client"), pki.KeyFile("client")) }, HttpVersion.Version11);
        using var doc = JsonDocument.Parse(await client.GetStringAsync(host.Url));
        Assert.Equal("CN=Kestrel Test Client", doc.RootElement.GetProperty("clientCertificate").GetString());
    }

    [Fact]
    public async Task HttpClientTimeout_EndsAHandshakeWithASilentServer()
    {
        // A server that accepts TCP and never answers the ClientHello.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var client = new HttpClient(new TesseraHttpHandler(Trusting())) { Timeout = TimeSpan.FromSeconds(1) };
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync($"https://localhost:{port}/"));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"the request took {started.Elapsed}");
    }

    /// <summary>
    /// Options whose trace counts the EndOfEarlyData messages the client sends: it sends one exactly when the server
    /// accepted its early data.
    /// </summary>
    private static (TlsClientOptions Options, Func<int> EndOfEarlyData) EarlyDataCountingOptions()
    {
        var count = 0;
        var options = Trusting() with
        {
            OnHandshakeEvent = e =>
            {
                if (e.Name == "EndOfEarlyData" && e.Direction == Diagnostics.TraceDirection.Sent) Interlocked.Increment(ref count);
            },
        };
        return (options, () => Volatile.Read(ref count));
    }

    /// <summary>A full handshake and two answers on it, so its tickets have arrived; then the client is disposed.</summary>
    private static async Task GetTicketAsync(HttpClient client, string url)
    {
        using (client)
        {
            await client.GetStringAsync(url);
            await client.GetStringAsync(url);
        }
    }

    private static TlsException? FindTls(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is TlsException t) return t;
        return null;
    }

    /// <summary>Counts SslStream handshakes in this process (the System.Net.Security event source).</summary>
    private sealed class SslStreamWatch : EventListener
    {
        private int _handshakes;
        public int Handshakes => Volatile.Read(ref _handshakes);

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "System.Net.Security") EnableEvents(source, EventLevel.Informational);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName == "HandshakeStart") Interlocked.Increment(ref _handshakes);
        }
    }
}
