using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Pki;

namespace Tessera.Proxy.Tests.Support;

/// <summary>A root and a localhost certificate (also as PEM files, for openssl), shared by the tests of a class; issued by Tessera.Pki.</summary>
public sealed class TestPki : IDisposable
{
    private readonly CertificateIssuer _issuer = CertificateIssuer.CreateRoot("Proxy Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddYears(1));

    public X509Certificate2 Root => _issuer.Certificate;
    public X509Certificate2 Leaf { get; }
    public string Folder { get; } = Directory.CreateTempSubdirectory("tessera-proxy-").FullName;
    public string RootPem => Path.Combine(Folder, "root.pem");

    public TestPki()
    {
        Leaf = Issue("localhost", "127.0.0.1");
        File.WriteAllText(RootPem, Root.ExportCertificatePem());
    }

    /// <summary>A server certificate (with its key) for these names: DNS names, IP addresses, "*.parent" wildcards.</summary>
    public X509Certificate2 Issue(params string[] names)
    {
        using var issued = _issuer.Issue(names, client: false, DateTimeOffset.UtcNow.AddDays(90), KeyType.EcdsaP256);
        return issued.WithPrivateKey();
    }

    public TlsServerOptions Server(params string[] alpn) => new()
    {
        Certificates = [TlsCredential.FromCertificate(Leaf)],
        ApplicationProtocols = alpn,
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    public TlsClientOptions Client(params string[] alpn) => new() { TrustStore = TrustStore.FromCertificates(Root), ApplicationProtocols = alpn };

    public void Dispose()
    {
        _issuer.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>A running proxy for one test: its records, and a stop that drains (then cuts) what is left.</summary>
public sealed class RunningProxy : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public RunningProxy(ProxyListenerOptions options, TimeSpan? drain = null)
    {
        Proxy = new ProxyListener(options, Records.Enqueue, Requests.Enqueue);
        Proxy.Start();
        Drain = drain ?? TimeSpan.FromSeconds(5);
        _run = Proxy.RunAsync(Drain, _stop.Token);
    }

    public ProxyListener Proxy { get; }
    public TimeSpan Drain { get; }
    public ConcurrentQueue<ProxyConnectionRecord> Records { get; } = new();
    public ConcurrentQueue<ProxyRequestRecord> Requests { get; } = new();
    public int Port => Proxy.LocalEndPoint.Port;
    public Task Running => _run;

    public static ProxyListenerOptions Options(TlsServerOptions tls, int backendPort, ProxyMode mode = ProxyMode.Tcp, bool proxyProtocol = false) =>
        ProxyListenerOptions.Single(new IPEndPoint(IPAddress.Loopback, 0), Site(tls, backendPort, mode, proxyProtocol));

    public static ProxySite Site(TlsServerOptions tls, int backendPort, ProxyMode mode = ProxyMode.Tcp, bool proxyProtocol = false, string name = "default", params string[] serverNames) => new()
    {
        Name = name,
        ServerNames = serverNames,
        Tls = tls,
        Mode = mode,
        BackendHost = "127.0.0.1",
        BackendPort = backendPort,
        ProxyProtocol = proxyProtocol,
    };

    /// <summary>Waits (bounded) until the proxy has reported <paramref name="count"/> connections.</summary>
    public async Task<ProxyConnectionRecord[]> RecordsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Records.Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        return [.. Records];
    }

    /// <summary>Waits (bounded) until the proxy has reported <paramref name="count"/> requests (http mode).</summary>
    public async Task<ProxyRequestRecord[]> RequestsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Requests.Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        return [.. Requests];
    }

    public Task StopAsync() => _stop.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(Drain + TimeSpan.FromSeconds(10));
        await Proxy.DisposeAsync();
    }
}

public static class Clients
{
    public static async Task<(TcpClient Tcp, TlsStream Tls)> ConnectAsync(int port, TlsClientOptions options, string serverName = "localhost")
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var tls = new TlsStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(options, serverName, timeout.Token);
        return (tcp, tls);
    }

    /// <summary>Reads until the peer's close_notify (or <paramref name="count"/> bytes), bounded by a timeout.</summary>
    public static async Task<byte[]> ReadAsync(TlsStream tls, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var result = new MemoryStream();
        var buffer = new byte[16384];
        while (result.Length < count)
        {
            var n = await tls.ReadAsync(buffer, cts.Token);
            if (n == 0) break;
            result.Write(buffer, 0, n);
        }
        return result.ToArray();
    }
}
