using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tessera;
using Tessera.AspNetCore;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Http;
using Tessera.Wire;

// Arguments: the port of a loopback openssl s_server, the root that signed its certificate, and a certificate and key
// for this program's own Kestrel endpoint (signed by the same root, names localhost and 127.0.0.1).
var opensslPort = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var (rootPem, certPem, keyPem) = (args[1], args[2], args[3]);
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var client = new TlsClientOptions { TrustStore = TrustStore.FromPemFile(rootPem), MinVersion = ProtocolVersion.Tls13 };

// 1. TlsStream: a TLS 1.3 handshake with openssl s_server -www, then one HTTP/1.0 request over it.
using (var tcp = new TcpClient { NoDelay = true })
{
    await tcp.ConnectAsync(IPAddress.Loopback, opensslPort, timeout.Token);
    await using var tls = new TlsStream(tcp.GetStream());
    await tls.AuthenticateAsClientAsync(client, "localhost", timeout.Token);
    await tls.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), timeout.Token);
    var status = await new StreamReader(tls).ReadLineAsync(timeout.Token);
    Console.WriteLine($"openssl: {TlsNames.OfVersion((ushort)tls.Connection.NegotiatedVersion!.Value)} {TlsNames.Of(tls.Connection.CipherSuite!.Value)} {status}");
}

// 2. Kestrel over Tessera (Tessera.AspNetCore), asked by HttpClient over Tessera (TesseraHttpHandler).
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
{
    listen.Protocols = HttpProtocols.Http1AndHttp2;
    listen.UseTessera(tls => tls.AddCertificateFiles(certPem, keyPem));
}));
await using var app = builder.Build();
app.MapGet("/", (HttpContext context) =>
{
    var tls = context.Features.Get<ITesseraTlsFeature>()!;
    return $"{context.Request.Protocol} over {TlsNames.OfVersion((ushort)tls.Version)}";
});
await app.StartAsync(timeout.Token);
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using (var http = new HttpClient(new TesseraHttpHandler(client)))
    Console.WriteLine($"kestrel: {address} {await http.GetStringAsync(address, timeout.Token)}");
// 2b. Tessera.Scan: the scanner, as a library, grades that Kestrel endpoint.
var kestrelPort = new Uri(address).Port;
var scan = await Tessera.Scan.Scanner.ScanAsync("127.0.0.1", kestrelPort,
    new Tessera.Scan.ScanOptions { Target = new HostPort("127.0.0.1", kestrelPort), ServerName = "localhost", Trust = TrustStore.FromPemFile(rootPem) }, cancellationToken: timeout.Token);
Console.WriteLine($"scan: TLS 1.3 {(scan.Supports(ProtocolVersion.Tls13) ? "offered" : "not offered")}, grade {Tessera.Scan.Grader.Grade(scan).Grade}");
await app.StopAsync(timeout.Token);

// 3. Tessera.Pki: a CA in memory issues a localhost certificate, and a Tessera client trusting that CA connects to a
// Tessera server serving it (over a loopback socket).
using var ca = Tessera.Pki.CertificateIssuer.CreateRoot("Consumer Root", Tessera.Pki.KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(1));
using var issued = ca.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(1), Tessera.Pki.KeyType.EcdsaP256);
using var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
var serving = Task.Run(async () =>
{
    using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
    await using var server = new TlsStream(accepted.GetStream());
    await server.AuthenticateAsServerAsync(new TlsServerOptions { Certificates = [issued.ToCredential()] }, timeout.Token);
    await server.ShutdownAsync(timeout.Token);
});
using (var tcp = new TcpClient { NoDelay = true })
{
    await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
    await using var tls = new TlsStream(tcp.GetStream());
    await tls.AuthenticateAsClientAsync(new TlsClientOptions { TrustStore = TrustStore.FromCertificates(ca.Certificate) }, "localhost", timeout.Token);
    Console.WriteLine($"pki: {tls.Connection}");
}
await serving;

// 4. Tessera.Proxy: a proxy host in front of a loopback echo backend, configured in code, and a client through it.
using var backend = new TcpListener(IPAddress.Loopback, 0);
backend.Start();
var echoing = Task.Run(async () =>
{
    using var accepted = await backend.AcceptTcpClientAsync(timeout.Token);
    var stream = accepted.GetStream();
    var buffer = new byte[256];
    int n;
    while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n), timeout.Token);
});
var proxyConfiguration = new Tessera.Proxy.Hosting.ProxyConfiguration
{
    Listeners =
    [
        new Tessera.Proxy.Hosting.ProxyListenerConfiguration
        {
            Name = "main",
            Listen = new Tessera.HostPort("127.0.0.1", 0),
            Sites = [new Tessera.Proxy.Hosting.ProxySiteConfiguration { Name = "default", Certificate = certPem, Key = keyPem, Backend = new Tessera.HostPort("127.0.0.1", ((IPEndPoint)backend.LocalEndpoint).Port), Ocsp = false }],
        },
    ],
};
await using (var host = new Tessera.Proxy.Hosting.ProxyHost(() => proxyConfiguration))
{
    host.Start();
    using var stopProxy = new CancellationTokenSource();
    var proxying = host.RunAsync(TimeSpan.FromSeconds(5), stopProxy.Token);
    using (var tcp = new TcpClient { NoDelay = true })
    {
        await tcp.ConnectAsync(IPAddress.Loopback, host.Listeners[0].LocalEndPoint.Port, timeout.Token);
        await using var tls = new TlsStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(client, "localhost", timeout.Token);
        await tls.WriteAsync("through the proxy\n"u8.ToArray(), timeout.Token);
        Console.WriteLine($"proxy: {await new StreamReader(tls).ReadLineAsync(timeout.Token)}");
    }
    await stopProxy.CancelAsync();
    await proxying;
}
await echoing;
