using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Proxy.Tests.Support;

/// <summary>
/// A plain-http loopback backend (Kestrel, HTTP/1.1 or h2c) that answers every request with what it saw, one "name=value"
/// per line: the protocol, method, path and query, Host and the X-Forwarded-* headers. Stopped on dispose.
/// </summary>
public sealed class HttpBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <param name="protocols">HTTP/1.1 by default; HTTP/2 alone is h2c with prior knowledge (what a tcp-mode proxy relays after ALPN h2).</param>
    public HttpBackend(HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            // Behind a tcp-mode proxy the client's HTTP/2 requests say :scheme https on a cleartext connection; Kestrel
            // refuses that (PROTOCOL_ERROR) unless told the scheme may differ from its own transport.
            k.AllowAlternateSchemes = true;
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols);
        });
        _app = builder.Build();
        _app.Run(async context =>
        {
            var r = context.Request;
            var body = $"protocol={r.Protocol}\nrequest={r.Method} {r.Path}{r.QueryString}\nhost={r.Host}\n" +
                       $"x-forwarded-for={r.Headers["X-Forwarded-For"]}\nx-forwarded-proto={r.Headers["X-Forwarded-Proto"]}\nx-forwarded-host={r.Headers["X-Forwarded-Host"]}\n";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(body);
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        using var now = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(now.Token);
        await _app.DisposeAsync();
    }
}
