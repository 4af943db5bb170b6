using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>Kestrel with its own HTTPS (SslStream) on a free loopback port, answering GET / with the HTTP protocol it saw.</summary>
internal sealed class SslStreamKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SslStreamKestrel(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SslStreamKestrel> StartAsync(bool allowAlternateSchemes)
    {
        var pki = KestrelPki.Shared;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var certificate = X509CertificateLoader.LoadPkcs12(
            X509Certificate2.CreateFromPemFile(pki.CertFile("localhost"), pki.KeyFile("localhost")).Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AllowAlternateSchemes = allowAlternateSchemes;
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.MapGet("/", (HttpContext c) => $"{c.Request.Protocol} {c.Request.Scheme}\n");
        await app.StartAsync();
        return new SslStreamKestrel(app, new Uri(app.Urls.Single()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
