using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Http;

// HttpClient over Tessera or over SslStream (SocketsHttpHandler's own), against one server, for bench/httpclient.sh:
//   Tessera.HttpClientBench --stack tessera|sslstream --url URL --ca ROOT.pem --mode new|keepalive --seconds S --concurrency C
// Prints "requests N seconds S rps R errors E". "new" closes every connection after its request (lifetime zero), so
// each request pays a handshake (resumed when the stack keeps tickets); "keepalive" reuses C pooled connections.
string stack = "", url = "", ca = "", mode = "keepalive";
double seconds = 5;
var concurrency = 4;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var v = args[i + 1];
    switch (args[i])
    {
        case "--stack": stack = v; break;
        case "--url": url = v; break;
        case "--ca": ca = v; break;
        case "--mode": mode = v; break;
        case "--seconds": seconds = double.Parse(v, CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = int.Parse(v, CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (stack is not ("tessera" or "sslstream") || url == "" || ca == "" || mode is not ("new" or "keepalive")) { Console.Error.WriteLine("see the header of Program.cs"); return 2; }

var lifetime = mode == "new" ? TimeSpan.Zero : TimeSpan.FromMinutes(10);
HttpMessageHandler handler;
if (stack == "tessera")
{
    handler = new TesseraHttpHandler(new TlsClientOptions { TrustStore = TrustStore.FromPemFile(ca) }) { PooledConnectionLifetime = lifetime, MaxConnectionsPerServer = concurrency };
}
else
{
    var root = X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(ca)).RawData);
    handler = new SocketsHttpHandler
    {
        PooledConnectionLifetime = lifetime,
        MaxConnectionsPerServer = concurrency,
        SslOptions = new SslClientAuthenticationOptions
        {
            // The same trust as the Tessera side: only the dev root, with the intermediate the server sent.
            RemoteCertificateValidationCallback = (_, certificate, sent, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (sent is not null) foreach (var element in sent.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                return chain.Build(new X509Certificate2(certificate));
            },
        },
    };
}
using var client = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

long requests = 0, errors = 0;
var clock = Stopwatch.StartNew();
async Task Worker()
{
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        try
        {
            using var response = await client.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            if (response.IsSuccessStatusCode) Interlocked.Increment(ref requests);
            else Interlocked.Increment(ref errors);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
        }
    }
}
var workers = new Task[concurrency];
for (var i = 0; i < workers.Length; i++) workers[i] = Task.Run(Worker);
await Task.WhenAll(workers);
var elapsed = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests {requests} seconds {elapsed:0.00} rps {requests / elapsed:0.0} errors {errors}"));
return errors == 0 ? 0 : 1;
