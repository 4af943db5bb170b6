using System.Globalization;
using Tessera.Samples.Kestrel;

// dotnet run --project samples/Tessera.Samples.Kestrel -- --port 8443 [--cert chain.pem --key key.pem]
var port = 8443;
string? cert = null, key = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length: port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--cert" when i + 1 < args.Length: cert = args[++i]; break;
        case "--key" when i + 1 < args.Length: key = args[++i]; break;
        default:
            Console.Error.WriteLine("usage: Tessera.Samples.Kestrel --port PORT [--cert FILE --key FILE]");
            return 2;
    }
}
if ((cert is null) != (key is null))
{
    Console.Error.WriteLine("--cert and --key go together");
    return 2;
}
if (cert is null)
{
    (cert, key, var root) = DevCertificate.EnsureLocalhost();
    Console.WriteLine($"using a development certificate for localhost; trust {root} (curl --cacert {root})");
}

await using var app = SampleApp.Build(new SampleSettings { Port = port, CertificateFile = cert, KeyFile = key! });
await app.StartAsync();
Console.WriteLine($"listening on {string.Join(", ", app.Urls)}");
await app.WaitForShutdownAsync();
return 0;
