using System.Collections.Concurrent;
using System.Net;
using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;

namespace Tessera.Acme.Server.Tests.Support;

/// <summary>
/// A private CA in a temporary folder served by <see cref="AcmeServerHost"/> on a free loopback port, validating
/// http-01 and tls-alpn-01 on free ports of its own and resolving the names a test gives it to 127.0.0.1. It can be
/// stopped and started again over the same folder (a restart), and keeps every log line.
/// </summary>
public sealed class AcmeCa : IAsyncDisposable
{
    private readonly IPEndPoint? _dnsResolver;
    private readonly Func<AcmeServerOptions, AcmeServerOptions>? _configure;
    private AcmeServerHost? _host;

    private AcmeCa(string folder, IEnumerable<string> names, IPEndPoint? dnsResolver, Func<AcmeServerOptions, AcmeServerOptions>? configure)
    {
        Folder = folder;
        Ca = LocalCa.Init(Path.Combine(folder, "ca"), KeyType.EcdsaP256, "ACME Test CA", force: false);
        Names = names.ToList();
        _dnsResolver = dnsResolver;
        _configure = configure;
        Trust = TrustStore.FromCertificates(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Ca.RootFile)));
    }

    public static async Task<AcmeCa> StartAsync(IEnumerable<string> names, IPEndPoint? dnsResolver = null, Func<AcmeServerOptions, AcmeServerOptions>? configure = null)
    {
        var ca = new AcmeCa(System.IO.Directory.CreateTempSubdirectory("tessera-acme-ca-").FullName, names, dnsResolver, configure);
        await ca.RestartAsync();
        return ca;
    }

    public string Folder { get; }
    public LocalCa Ca { get; }
    public IReadOnlyList<string> Names { get; }
    public TrustStore Trust { get; }
    public int HttpPort { get; } = Ports.Free();
    public int TlsPort { get; } = Ports.Free();
    public ConcurrentQueue<string> Log { get; } = new();
    public AcmeServer Server => _host!.Server;
    public Uri Directory => Server.DirectoryUrl;

    /// <summary>Stops the server if it runs and starts it again over the same CA folder, on a new port.</summary>
    public async Task RestartAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        var options = new AcmeServerOptions
        {
            Ca = Ca,
            HttpPort = HttpPort,
            TlsPort = TlsPort,
            DnsResolver = _dnsResolver,
            Hosts = Names.ToDictionary(n => n, _ => IPAddress.Loopback, StringComparer.OrdinalIgnoreCase),
            Log = Log.Enqueue,
            CrlListen = new IPEndPoint(IPAddress.Loopback, 0),
        };
        if (_configure is not null) options = _configure(options);
        _host = await AcmeServerHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A peer still writing into the folder as it is deleted: the temp folder is left for the OS to clean.
        }
    }
}
