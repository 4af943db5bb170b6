using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Tessera.AspNetCore;

// The same Kestrel app over two TLS stacks, for bench/kestrel.sh:
//   Tessera.KestrelBench --stack tessera|sslstream --port PORT --cert CHAIN.pem --key KEY.pem
// GET / answers 13 bytes, so the measurement is TLS and HTTP plumbing, not the application.
string stack = "tessera", cert = "", key = "";
var port = 0;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--stack": stack = args[i + 1]; break;
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--cert": cert = args[i + 1]; break;
        case "--key": key = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (stack is not ("tessera" or "sslstream") || port == 0 || cert == "" || key == "")
{
    Console.Error.WriteLine("usage: Tessera.KestrelBench --stack tessera|sslstream --port PORT --cert CHAIN.pem --key KEY.pem");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        if (stack == "tessera")
        {
            listen.UseTessera(tls => tls.AddCertificateFiles(cert, key));
        }
        else
        {
            // The same chain: leaf with its key, intermediates sent along.
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(cert);
            var leaf = X509Certificate2.CreateFromPemFile(cert, key);
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateChain = intermediates,
                ServerCertificate = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null),
            });
        }
    });
});
var app = builder.Build();
app.MapGet("/", () => "hello, bench\n");
await app.RunAsync();
return 0;
