using System.Net;
using System.Text.Json;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>Kestrel with <c>UseTessera</c>: HTTP/2 and HTTP/1.1 to HttpClient (SslStream underneath) and curl, mutual TLS, SNI.</summary>
public sealed class KestrelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("2.0", "HTTP/2", "h2")]
    [InlineData("1.1", "HTTP/1.1", null)]   // SocketsHttpHandler offers no ALPN for an HTTP/1.1-only request
    public async Task HttpClient_OverSslStream_GetsTheChosenProtocol(string version, string protocol, string? alpn)
    {
        await using var host = await SampleHost.StartAsync();
        Assert.StartsWith("https://127.0.0.1:", host.Urls.Single(), StringComparison.Ordinal);   // Kestrel knows the endpoint is TLS
        using var client = host.Client(Version.Parse(version));
        for (var i = 0; i < 3; i++)   // several requests on one connection
        {
            var json = await SampleHost.GetJsonAsync(client, host.Url);
            Assert.Equal(protocol, json.GetProperty("protocol").GetString());
            Assert.Equal(alpn, json.GetProperty("alpn").GetString());
            Assert.Equal("TLS 1.3", json.GetProperty("tlsVersion").GetString());
            Assert.Equal("localhost", json.GetProperty("serverName").GetString());
        }
    }

    [Theory]
    [InlineData("--http2", "HTTP/2", "--tlsv1.3")]
    [InlineData("--http1.1", "HTTP/1.1", "--tlsv1.3")]
    [InlineData("--http2", "HTTP/2", "--tlsv1.2 --tls-max 1.2")]
    public async Task Curl_GetsTheChosenProtocol(string curlProtocol, string protocol, string tls)
    {
        await using var host = await SampleHost.StartAsync();
        using var curl = Peer.Start("curl", $"-sS {curlProtocol} {tls} --cacert {KestrelPki.Shared.RootFile} {host.Url}");
        Assert.Equal(0, await curl.WaitForExitAsync(Timeout));
        using var doc = JsonDocument.Parse(curl.StdoutText);
        Assert.Equal(protocol, doc.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(tls.StartsWith("--tlsv1.2", StringComparison.Ordinal) ? "TLS 1.2" : "TLS 1.3", doc.RootElement.GetProperty("tlsVersion").GetString());
    }

    [Fact]
    public async Task A_Tessera_Client_Gets_The_Certificate_Compressed_By_Default()
    {
        // RFC 8879: the adapter's server options keep the library default (Brotli, then zlib).
        await using var host = await SampleHost.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, new Uri(host.Url).Port);
        await using var tls = new TlsStream(tcp.GetStream());
        var options = new TlsClientOptions { TrustStore = Certificates.TrustStore.FromPemFile(KestrelPki.Shared.RootFile), ApplicationProtocols = ["http/1.1"] };
        await tls.AuthenticateAsClientAsync(options, "localhost").WaitAsync(Timeout);
        var compression = Assert.IsType<CertificateCompressionResult>(tls.Connection.ReceivedCertificateCompression);
        Assert.Equal(Wire.CertificateCompressionAlgorithm.Brotli, compression.Algorithm);
        Assert.True(compression.BytesSaved > 0, compression.ToString());
        await tls.ShutdownAsync();
    }

    [Fact]
    public async Task Http1Only_Endpoint_OffersOnlyHttp11()
    {
        await using var host = await SampleHost.StartAsync(SampleHost.Settings() with { Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1 });
        using var curl = Peer.Start("curl", $"-sS --http2 --cacert {KestrelPki.Shared.RootFile} {host.Url}");
        Assert.Equal(0, await curl.WaitForExitAsync(Timeout));
        using var doc = JsonDocument.Parse(curl.StdoutText);
        Assert.Equal("HTTP/1.1", doc.RootElement.GetProperty("protocol").GetString());
        Assert.Equal("http/1.1", doc.RootElement.GetProperty("alpn").GetString());
    }

    [Fact]
    public async Task MutualTls_PutsTheClientCertificateInHttpContext()
    {
        var settings = SampleHost.Settings(tls => tls.ServerOptions = tls.ServerOptions with
        {
            ClientCertificateMode = ClientCertificateMode.Required,
            ClientTrustStore = Certificates.TrustStore.FromPemFile(KestrelPki.Shared.RootFile),
        });
        await using var host = await SampleHost.StartAsync(settings);
        using var client = host.Client(HttpVersion.Version20, KestrelPki.Shared.ClientCertificate());
        var json = await SampleHost.GetJsonAsync(client, host.Url);
        Assert.Equal("CN=Kestrel Test Client", json.GetProperty("clientCertificate").GetString());
        Assert.Equal("HTTP/2", json.GetProperty("protocol").GetString());

        // Without a certificate the handshake fails; the request never reaches the app.
        using var anonymous = host.Client(HttpVersion.Version20);
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(host.Url));
    }

    [Fact]
    public async Task Sni_PicksTheMappedCertificate()
    {
        var pki = KestrelPki.Shared;
        var settings = SampleHost.Settings(tls =>
        {
            tls.CertificatesByName["a.test"] = TlsCredential(pki, "a.test");
            tls.CertificatesByName["*.b.test"] = TlsCredential(pki, "b.test");
        });
        await using var host = await SampleHost.StartAsync(settings);
        var seen = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        using var client = host.Client(HttpVersion.Version20, seen: seen);
        // The test client checks the chain only, not the name, so a wildcard entry can be reached by any name under it.
        Assert.Equal("CN=a.test", (await SampleHost.GetJsonAsync(client, $"https://a.test:{host.Port}/")).GetProperty("serverCertificate").GetString());
        Assert.Equal("CN=localhost", (await SampleHost.GetJsonAsync(client, $"https://localhost:{host.Port}/")).GetProperty("serverCertificate").GetString());
        Assert.Equal("CN=b.test", (await SampleHost.GetJsonAsync(client, $"https://www.b.test:{host.Port}/")).GetProperty("serverCertificate").GetString());
        Assert.Equal(["CN=a.test", "CN=localhost", "CN=b.test"], seen.Select(c => c.Subject).ToArray());
    }

    private static Certificates.TlsCredential TlsCredential(KestrelPki pki, string name) => Certificates.TlsCredential.FromPemFiles(pki.CertFile(name), pki.KeyFile(name));
}
