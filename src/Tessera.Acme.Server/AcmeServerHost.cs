using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Pki;

namespace Tessera.Acme.Server;

/// <summary>
/// Runs an <see cref="AcmeServer"/> on Kestrel over Tessera's TLS: one HTTPS endpoint whose certificate the CA itself
/// issues (for the listen address, and "localhost" too) at each start, so a client that trusts the CA's root trusts
/// the directory. The CA's CRL URL becomes this server's <c>/crl</c>, named in everything it issues from then on.
/// </summary>
public sealed class AcmeServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AcmeServerHost(WebApplication app, AcmeServer server)
    {
        _app = app;
        Server = server;
    }

    /// <summary>The server (its <see cref="AcmeServer.DirectoryUrl"/> is where clients start).</summary>
    public AcmeServer Server { get; }

    /// <summary>Binds <paramref name="listen"/> (port 0: a free port) and starts serving.</summary>
    /// <exception cref="PkiException">The CA or the server's state does not load.</exception>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static async Task<AcmeServerHost> StartAsync(IPEndPoint listen, AcmeServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        var names = new List<string> { listen.Address.ToString() };
        if (!names.Contains("localhost")) names.Add("localhost");
        var (chainPem, keyPem, leaf) = options.Ca.Issue(names, client: false, days: 30, KeyType.EcdsaP256);
        leaf.Dispose();
        var tls = new TlsServerOptions { Certificates = [TlsCredential.FromPem(chainPem, keyPem)], ApplicationProtocols = ["http/1.1"] };
        var server = new AcmeServer(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = AcmeServer.DrainBytes;
            kestrel.Listen(listen, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                l.UseTessera(tls);
            });
            if (options.CrlListen is { } crl) kestrel.Listen(crl, l => l.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            server.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot listen on {listen}: {e.Message}", e);
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        if (options.CrlListen is { } crlListen)
            server.ServeCrlAt(new Uri($"http://{Host(crlListen.Address)}:{BoundPort(addresses, "http", crlListen.Port)}/crl"));
        server.BaseUri = new Uri($"https://{Host(listen.Address)}:{BoundPort(addresses, "https", listen.Port)}");
        options.Ca.CrlUrl = server.CrlUrl;
        return new AcmeServerHost(app, server);
    }

    private static string Host(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>The port Kestrel bound for the endpoint of <paramref name="scheme"/> (the one asked for, or the free one it chose for 0).</summary>
    private static int BoundPort(List<Uri> addresses, string scheme, int asked) =>
        asked != 0 ? asked : addresses.First(a => a.Scheme == scheme).Port;

    /// <summary>Stops listening and the validations in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
