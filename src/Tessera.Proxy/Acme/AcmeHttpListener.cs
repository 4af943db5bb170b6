using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Acme;

namespace Tessera.Proxy.Acme;

/// <summary>
/// The proxy's plain-HTTP listener (port 80 in production): http-01 answers (RFC 8555 §8.3) from the certificate
/// manager's tokens, and for every other request a 308 redirect to the same host and path over https, as Caddy does.
/// </summary>
public sealed class AcmeHttpListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AcmeHttpListener(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>Where it listens (the port Kestrel chose when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Binds <paramref name="listen"/> and serves the http-01 answers <paramref name="answer"/> gives for a request path.</summary>
    /// <exception cref="Hosting.ProxyHostException">The address cannot be bound.</exception>
    public static AcmeHttpListener Start(IPEndPoint listen, Func<string, string?> answer)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(listen, l => l.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(context => AnswerAsync(context, answer));
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            ((IDisposable)app).Dispose();
            throw new Hosting.ProxyHostException(Hosting.ProxyHostFailure.Listen, $"cannot listen on {listen} for http-01 and redirects: {e.Message}", e);
        }
        var port = listen.Port != 0 ? listen.Port : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new AcmeHttpListener(app, new IPEndPoint(listen.Address, port));
    }

    private static Task AnswerAsync(HttpContext context, Func<string, string?> answer)
    {
        var path = context.Request.Path.Value ?? "/";
        if (HttpMethods.IsGet(context.Request.Method) && answer(path) is { } keyAuthorization)
        {
            context.Response.ContentType = "application/octet-stream";
            return context.Response.WriteAsync(keyAuthorization);
        }
        if (path.StartsWith(Http01Tokens.PathPrefix, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        // The host without its port: the https site is on the standard port. A request without a Host gets a 400.
        var host = context.Request.Host.Host;
        if (string.IsNullOrEmpty(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = $"https://{host}{context.Request.PathBase}{path}{context.Request.QueryString}";
        return Task.CompletedTask;
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
