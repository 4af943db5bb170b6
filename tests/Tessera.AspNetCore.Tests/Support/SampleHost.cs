using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tessera.Samples.Kestrel;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>The Kestrel sample on a free loopback port for one test, and HttpClients (SslStream underneath) that trust the test root.</summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"https://localhost:{Port}/";

    public static async Task<SampleHost> StartAsync(SampleSettings? settings = null)
    {
        var pki = KestrelPki.Shared;
        var app = SampleApp.Build((settings ?? new SampleSettings { CertificateFile = pki.CertFile("localhost"), KeyFile = pki.KeyFile("localhost") }) with { Port = 0 });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var url = new Uri(app.Urls.Single());
        return new SampleHost(app, url.Port);
    }

    public static SampleSettings Settings(Action<TesseraHttpsOptions>? configure = null, string name = "localhost") => new()
    {
        CertificateFile = KestrelPki.Shared.CertFile(name),
        KeyFile = KestrelPki.Shared.KeyFile(name),
        ConfigureTls = configure,
    };

    public IReadOnlyList<string> Urls => [.. _app.Urls];

    /// <summary>
    /// An HttpClient whose TLS is SslStream, trusting only the test root; every host name connects to this server,
    /// so SNI can be any name. <paramref name="seen"/> receives each server certificate.
    /// </summary>
    public HttpClient Client(Version version, X509Certificate2? clientCertificate = null, List<X509Certificate2>? seen = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null) return false;
                    var cert = new X509Certificate2(certificate);
                    lock (seen ?? []) seen?.Add(cert);
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(KestrelPki.Shared.Root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(cert);
                },
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        return new HttpClient(handler) { DefaultRequestVersion = version, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
