using System.Net;
using System.Text;
using Tessera.Interop.Tests.Support;

namespace Tessera.Acme.Server.Tests.Support;

/// <summary>
/// pebble-challtestsrv as the server's validation resolver: every name resolves to 127.0.0.1, and TXT records are set
/// through its management API — an <see cref="IDns01Provider"/> for Tessera's client.
/// </summary>
public sealed class ChallTestSrv : IDns01Provider, IDisposable
{
    private readonly Peer _process;
    private readonly HttpClient _http = new();

    public ChallTestSrv()
    {
        if (Peer.Which("pebble-challtestsrv") is null) throw new InvalidOperationException("pebble-challtestsrv is not installed (apt-get install pebble); .ci/run installs it");
        DnsPort = Ports.Free();
        ManagementPort = Ports.Free();
        _process = Peer.Start("pebble-challtestsrv",
            $"-defaultIPv4 127.0.0.1 -defaultIPv6 \"\" -dns01 127.0.0.1:{DnsPort} -http01 \"\" -https01 \"\" -tlsalpn01 \"\" -management 127.0.0.1:{ManagementPort}");
        Ports.ConnectAsync(ManagementPort, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult().Dispose();
    }

    public int DnsPort { get; }
    public int ManagementPort { get; }
    public IPEndPoint Resolver => new(IPAddress.Loopback, DnsPort);

    public async Task PresentAsync(string name, string value, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"http://127.0.0.1:{ManagementPort}/set-txt",
            new StringContent($"{{\"host\":\"{name}\",\"value\":\"{value}\"}}", Encoding.UTF8, "application/json"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task CleanupAsync(string name, string value, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"http://127.0.0.1:{ManagementPort}/clear-txt",
            new StringContent($"{{\"host\":\"{name}\"}}", Encoding.UTF8, "application/json"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
